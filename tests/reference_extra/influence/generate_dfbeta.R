# generate_dfbeta.R -- R's dfbeta / dfbetas / lm.influence sigma on glm objects, for glmstats'
# influence tests (the public reference suite in ../../reference has no dfbeta values).
#
# Run from this folder:   Rscript generate_dfbeta.R
# Reads ../../reference/cases/<case>/data.csv and expected.json (the case's r_call), refits the
# model exactly as the public generator does (R's glm, then continued to machine precision with
# glm.fit and re-run from that solution, so the values are those of the converged MLE), and writes
# <case>.json beside this script with:
#   dfbeta   = dfbeta(m)                       (stats:::dfbeta.lm via lm.influence(m)$coefficients)
#   dfbetas  = dfbetas(m)
#   sigma    = influence(m)$sigma
#   hatvalues, rstudent (for cross-checking the fit against the public suite)
# plus one rank-deficient case built here (mtcars with an aliased column I(2 * wt)).
# R 4.2.2 (Debian), stats only; JSON writer from ../../reference/refgen_lib.R.
suppressWarnings(source("../../reference/refgen_lib.R", chdir = TRUE))

polish <- function(m_std, cl, d) {
  b0 <- coef(m_std); keep <- !is.na(b0)
  off0 <- m_std$offset; if (is.null(off0)) off0 <- rep(0, length(m_std$y))
  f1 <- suppressWarnings(glm.fit(model.matrix(m_std)[, keep, drop = FALSE], m_std$y,
                                 weights = m_std$prior.weights, offset = off0, family = family(m_std),
                                 start = b0[keep], control = glm.control(epsilon = 1e-300, maxit = 50)))
  bs <- setNames(rep(0, length(b0)), names(b0)); bs[keep] <- f1$coefficients
  cl$start <- unname(bs)
  suppressWarnings(eval(cl, list(d = d)))
}

# data.csv quotes string columns (factors in R, levels in code-point order): keep those as
# character even when they look numeric (Dobson's outcome/treatment are "1", "2", "3").
read_case_data <- function(path) {
  first <- strsplit(readLines(path, n = 2)[2], ",", fixed = TRUE)[[1]]
  quoted <- startsWith(first, '"')
  d <- read.csv(path, na.strings = "NA", stringsAsFactors = FALSE,
                colClasses = ifelse(quoted, "character", NA))
  alpha_levels(d)
}

one_case <- function(name, d, r_call, note = NULL, x_csv = NULL) {
  message("case ", name)
  cl <- str2lang(r_call)
  m <- polish(eval(cl, list(d = d)), cl, d)
  if (!is.null(x_csv)) {  # the design must be the public case's model matrix, column for column
    X_pub <- as.matrix(read.csv(x_csv, check.names = FALSE))
    stopifnot(identical(colnames(X_pub), colnames(model.matrix(m))),
              max(abs(X_pub - model.matrix(m))) == 0)
  }
  infl <- influence(m)
  out <- list(
    case = name,
    r_call = r_call,
    note = note,
    provenance = list(R = R.version.string, script = "tests/reference_extra/influence/generate_dfbeta.R",
                      fit = "glm(r_call), continued to machine precision (glm.fit, epsilon = 1e-300, 50 steps), re-run from there"),
    coefficients = coef(m),
    dfbeta = jmat(dfbeta(m)),
    dfbetas = jmat(dfbetas(m)),
    sigma = I(unname(infl$sigma)),
    hatvalues = I(unname(hatvalues(m))),
    rstudent = I(unname(rstudent(m)))
  )
  write_json_file(out, paste0(name, ".json"))
}

public <- c("dobson_poisson", "budworm_binomial_prop_weights", "clotting_gamma_inverse",
            "warpbreaks_quasipoisson")
for (case in public) {
  dir <- file.path("../../reference/cases", case)
  d <- read_case_data(file.path(dir, "data.csv"))
  line <- grep('^\\s*"r_call": ', readLines(file.path(dir, "expected.json")), value = TRUE)[1]
  r_call <- sub('^\\s*"r_call": "(.*)",?\\s*$', "\\1", line)
  r_call <- gsub('\\\\"', '"', r_call)
  one_case(case, d, r_call, x_csv = file.path(dir, "X.csv"))
}

# rank deficient: I(2 * wt) is aliased with wt (R drops the later column)
d <- read.csv("../../reference/cases/mtcars_gaussian_cluster/data.csv", stringsAsFactors = FALSE)
one_case("mtcars_aliased_gaussian", d,
         "glm(mpg ~ wt + hp + I(2 * wt) + factor(cyl) + am, family = gaussian(), data = d, control = glm.control(epsilon = 1e-12, maxit = 100))",
         note = "data of the public case mtcars_gaussian_cluster; formula_py: mpg ~ wt + hp + I(2*wt) + C(cyl) + am; R's dfbeta(s) omit the aliased column I(2 * wt)")

writeLines(capture.output(sessionInfo()), "sessionInfo.txt")
