# generate_format.R -- R's own strings for the column formatting of glmstats.report.format:
#   format(x, digits = d)                 (base::format.default -> formatReal)
#   format.pval(pv, digits = d)           (base)
#   the cells of printCoefmat(x, digits)  (stats; captured from its call to print.default)
#   the cells of print.anova(x)           (stats; the same capture)
# for a varied set of vectors and tables, written with their exact inputs to format.json.
# The glm fits are R's glm.D93, budworm (MASS, ch. 7) and two small made-up data sets that
# tests/report/_report_fits.py builds the same way.
# Run from this folder:  Rscript generate_format.R      (R 4.2.2; MASS from Debian's package)
options(digits = 7, scipen = 0, OutDec = ".")
suppressPackageStartupMessages(library(MASS))

num <- function(x) {
  out <- sprintf("%.17g", x)
  out[is.na(x)] <- "null"
  out[!is.na(x) & is.infinite(x)] <- ifelse(x[!is.na(x) & is.infinite(x)] > 0, '"Inf"', '"-Inf"')
  paste0("[", paste(out, collapse = ", "), "]")
}
str_json <- function(s) {
  s <- gsub("\\\\", "\\\\\\\\", s); s <- gsub('"', '\\\\"', s); s <- gsub("\n", "\\\\n", s)
  paste0("[", paste0('"', s, '"', collapse = ", "), "]")
}

# The character matrix that printCoefmat hands to print.default: R's cells, untouched.
cells_of <- function(expr) {
  captured <- NULL
  suppressMessages(trace(print.default, tracer = bquote(assign("captured", x, envir = .(environment()))),
        print = FALSE, where = baseenv()))
  on.exit(suppressMessages(untrace(print.default, where = baseenv())))
  capture.output(force(expr))
  captured
}
table_json <- function(name, kind, x, digits, cells, extra = "") {
  x <- as.matrix(x)
  cols <- paste0("{\"name\": ", sprintf('"%s"', colnames(x)), ", \"x\": ",
                 apply(x, 2, num), ", \"out\": ", apply(cells[, seq_len(ncol(x)), drop = FALSE], 2, str_json), "}")
  sprintf('{"name": "%s", "kind": "%s", "digits": %d, "rownames": %s, "columns": [%s]%s}',
          name, kind, digits, str_json(rownames(x)), paste(cols, collapse = ", "), extra)
}

entries <- character()
add <- function(s) entries[[length(entries) + 1L]] <<- s

# ---------------------------------------------------------------- format(x, digits)
set.seed(20261204)
vectors <- list(
  tiny_next_to_moderate = c(1.08908e-15, 0.2),
  glm_d93_estimates = c(3.044522437723423, -0.4542552722775963, -0.2929871187359203,
                        1.3379089521118e-15, 1.4210854715202e-15),
  large = c(123456789, 2.5), large2 = c(1e10, 1), large_single = 1234567.8, deviance_like = c(5129.14, 10.58),
  negative = c(-1.5, 2.25, -0.001), negative_small = c(-0.00012345, 0.5),
  with_na = c(NA, 1.5, 0.25), all_na = c(NA_real_, NA_real_), with_inf = c(Inf, -Inf, 2.5, NA),
  integers = c(1, 2, 10, 100), zero = 0, zeros = c(0, 0, 1),
  needs_sci = c(1e-20, 3e-8), huge_exponent = c(1e100, 1), tiny_exponent = c(1e-100, 5), e3 = c(1e-120, 2e120),
  widening = 9996, widening2 = c(99999.5, 1), widening3 = c(0.99996, 0.5),
  small_fixed = 0.0001, small_sci = 1.5e-5, point3 = 0.1 + 0.2, third = 1 / 3, pi = pi,
  half_ties = c(0.125, 2.5, 0.375), dispersion_like = 0.004819116, aic_like = c(52.76132, -20.08114),
  mixed_scale = c(1234.5678, 0.000123, -56.7)
)
for (i in 1:30) vectors[[sprintf("random_%02d", i)]] <- round(rnorm(4) * 10^runif(4, -6, 7), sample(3:12, 1))
for (i in 1:10) vectors[[sprintf("random_raw_%02d", i)]] <- rnorm(3) * 10^runif(3, -3, 3)
for (nm in names(vectors)) for (d in c(3L, 4L, 6L, 7L)) {
  x <- vectors[[nm]]
  add(sprintf('{"name": "%s", "kind": "format", "digits": %d, "x": %s, "out": %s}',
              nm, d, num(x), str_json(format(x, digits = d))))
}

# many digits: R's scientific() switches to sprintf("%#.*e") from digits 16
for (nm in c("third", "pi", "point3", "mixed_scale", "tiny_next_to_moderate", "large")) for (d in c(15L, 16L, 17L, 22L)) {
  x <- vectors[[nm]]
  add(sprintf('{"name": "%s", "kind": "format", "digits": %d, "x": %s, "out": %s}',
              nm, d, num(x), str_json(format(x, digits = d))))
}

# ---------------------------------------------------------------- format.pval(pv, digits)
pvals <- list(
  summary_d93 = c(1e-70, 0.0246, 0.1285, 1, 1), with_tiny = c(2e-17, 0.5), only_tiny = c(1e-300, 0),
  small = c(3.2e-5, 0.0012, 0.04), very_small = c(1.2e-9, 4.5e-12), with_na = c(NA, 0.03, 1e-20),
  ones = c(1, 0.99999), mid = c(0.051, 0.00049), budworm = c(2.305e-12, 0.006093, 4.575e-14),
  exponent_minus4 = c(0.00012, 0.5)
)
for (nm in names(pvals)) for (d in c(1L, 2L, 3L, 4L, 5L)) {
  x <- pvals[[nm]]
  add(sprintf('{"name": "%s", "kind": "pval", "digits": %d, "x": %s, "out": %s}',
              nm, d, num(x), str_json(format.pval(x, digits = d))))
}

# ---------------------------------------------------------------- printCoefmat
# Each coefficient matrix gets the Wald interval (z or t) after the statistic, the p-value last:
# the layout of glmstats' summary, formatted by R's rules (the interval columns alone, with digits).
coefmat <- function(m, level = 0.95) {
  cf <- summary(m)$coefficients
  full <- matrix(NA_real_, length(coef(m)), 4, dimnames = list(names(coef(m)), colnames(cf)))
  full[rownames(cf), ] <- cf
  q <- if (colnames(cf)[3] == "t value") qt(1 - (1 - level) / 2, df.residual(m)) else qnorm(1 - (1 - level) / 2)
  cbind(full[, 1:3, drop = FALSE], lower = full[, 1] - q * full[, 2], upper = full[, 1] + q * full[, 2],
        full[, 4, drop = FALSE])
}
counts <- c(18, 17, 15, 20, 10, 20, 25, 13, 12)
outcome <- gl(3, 1, 9); treatment <- gl(3, 3)
glm.D93 <- glm(counts ~ outcome + treatment, family = poisson())
glm.D93o <- glm(counts ~ outcome, family = poisson())
ldose <- rep(0:5, 2); numdead <- c(1, 4, 9, 13, 18, 20, 0, 2, 6, 10, 12, 16)
sex <- factor(rep(c("M", "F"), c(6, 6)), levels = c("F", "M"))
budworm <- data.frame(ldose, numdead, sex, n = 20)
budworm$dead <- budworm$numdead; budworm$alive <- budworm$n - budworm$numdead
budworm$ld2 <- 2 * budworm$ldose; budworm$sex[5] <- NA
budworm.fit <- glm(cbind(dead, alive) ~ sex + ldose + ld2, family = binomial, data = budworm)
gdat <- data.frame(y = c(1.2, 2.3, 2.9, 4.1, 5.2, 5.8, 7.1, NA, 8.8, 10.2, 11.1, 11.9),
                   x = c(1, 2, 3, NA, 5:12), g = rep(c("a", "b", "c"), 4))
gdat$x2 <- 2 * gdat$x
gauss.fit <- glm(y ~ x + g + x2, family = gaussian, data = gdat)
fits <- list(glm_d93 = glm.D93, dobson_outcome = glm.D93o, budworm_aliased = budworm.fit,
             gaussian_aliased = gauss.fit)
for (nm in names(fits)) for (d in c(4L, 6L)) {
  x <- coefmat(fits[[nm]])
  cells <- cells_of(printCoefmat(x, digits = d, cs.ind = 1:2, tst.ind = 3, signif.stars = FALSE))
  add(table_json(nm, "coefmat", x, d, cells))
}
# hand-made tables: a zero estimate, an estimate that rounds to zero, NA rows, a huge statistic
hand <- list(
  rounds_to_zero = cbind(Estimate = c(1234.5, 0.00004, 0), "Std. Error" = c(12.1, 0.5, 0.2),
                         "z value" = c(102.02, 8e-5, 0), "Pr(>|z|)" = c(0, 0.99994, 1)),
  with_na_row = cbind(Estimate = c(-2.5, NA, 0.031), "Std. Error" = c(0.4, NA, 0.0101),
                      "t value" = c(-6.25, NA, 3.07), "Pr(>|t|)" = c(4e-9, NA, 0.00213)),
  big_stat = cbind(Estimate = c(250.123456, -1.5e-3), "Std. Error" = c(0.00123, 2e-4),
                   "z value" = c(203352.4, -7.5), "Pr(>|z|)" = c(0, 6.4e-14)))
for (nm in names(hand)) for (d in c(4L, 6L)) {
  x <- hand[[nm]]; rownames(x) <- paste0("b", seq_len(nrow(x)))
  add(table_json(nm, "coefmat", x, d, cells_of(printCoefmat(x, digits = d, signif.stars = FALSE))))
}

# glm.D93's coefficient table at epsilon = 1e-12 (tests/reference/cases/dobson_poisson/expected.json:
# summary(m) and confint.default(m)), the numbers of tests/report/test_summary.py's stand-in results
d93_ref <- cbind(
  Estimate = c(3.044522437723423, -0.4542552722775965, -0.292987124681474, -6.35193655736146e-17, -2.664535259100375e-16),
  "Std. Error" = c(0.17089865185644149, 0.2021707591938455, 0.1927423451597928, 0.19999999999999996, 0.19999999999999996),
  "z value" = c(17.81478323352069, -2.2468890856864574, -1.5200973322109024, -3.1759682786807303e-16, -1.3322676295501878e-15),
  lower = c(2.7095672350783486, -0.8505026790246536, -0.6707551794904558, -0.3919927969080107, -0.3919927969080109),
  upper = c(3.3794776403684974, -0.05800786553053938, 0.08478093012750781, 0.3919927969080106, 0.39199279690801037),
  "Pr(>|z|)" = c(5.426771024611239e-71, 0.02464711641129516, 0.1284865150135061, 0.9999999999999998, 0.9999999999999989))
rownames(d93_ref) <- c("(Intercept)", "outcome2", "outcome3", "treatment2", "treatment3")
for (d in c(4L, 6L))
  add(table_json("glm_d93_reference", "coefmat", d93_ref, d,
                 cells_of(printCoefmat(d93_ref, digits = d, cs.ind = 1:2, tst.ind = 3, signif.stars = FALSE))))

# ---------------------------------------------------------------- print.anova
anova_tables <- list(
  d93_sequential = anova(glm.D93, test = "Chisq"),
  d93_nested = anova(glm(counts ~ 1, family = poisson), glm.D93o, glm.D93, test = "Chisq"),
  d93_drop1 = drop1(glm.D93, test = "Chisq"),
  budworm_rao = anova(glm(cbind(numdead, 20 - numdead) ~ sex * ldose, binomial, data = budworm), test = "Rao"),
  gaussian_f = anova(glm(y ~ x, data = gdat), glm(y ~ x + g, data = gdat), test = "F"),
  gaussian_drop1_f = drop1(glm(y ~ x + g, data = gdat), test = "F")
)
for (nm in names(anova_tables)) for (d in c(5L)) {
  a <- anova_tables[[nm]]
  cells <- cells_of(print(a, digits = d, signif.stars = FALSE))
  heading <- paste0(', "heading": ', str_json(attr(a, "heading")))
  add(table_json(nm, "anova", a, d, cells, heading))
}

con <- file("format.json", "w")
writeLines(sprintf('{\n  "r_version": "%s",\n  "cases": [\n    %s\n  ]\n}', R.version.string,
                   paste(entries, collapse = ",\n    ")), con)
close(con)
writeLines(capture.output(sessionInfo()), "sessionInfo.txt")
