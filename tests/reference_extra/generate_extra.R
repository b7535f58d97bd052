# generate_extra.R -- extra R reference cases for glmstats (beyond the public suite in ../reference):
# odd links, weights, aliasing, separation, step-halving, missing values, no intercept.
# Run from this folder:   Rscript generate_extra.R
# Writes cases/<name>/data.csv and cases/<name>/expected.json (JSON/CSV writers from ../reference/refgen_lib.R).
# R 4.2.2 with MASS, statmod (Debian packages); see sessionInfo.txt written beside.
source("../reference/refgen_lib.R")
ROOT <- "cases"
unlink(ROOT, recursive = TRUE)

# fit as glm(); for finite MLEs, continue to machine precision (as the public suite) so that
# the stored numbers are those of the converged fit; iterations/warnings are from the standard
# fit with glm.control(epsilon = 1e-8, maxit = 100) (R's default epsilon).
extra_case <- function(name, description, data, formula, family, family_py, formula_py,
                       weights = NULL, start = NULL, polish = TRUE, kwargs_py = NULL, start_py = FALSE) {
  message("case ", name)
  dir <- file.path(ROOT, name); dir.create(dir, recursive = TRUE, showWarnings = FALSE)
  d <- data; rownames(d) <- NULL
  environment(formula) <- environment()
  cl <- quote(glm(F, family = family, data = d, control = glm.control(epsilon = 1e-8, maxit = 100)))
  cl[[2]] <- formula
  if (!is.null(weights)) cl$weights <- as.name(weights)
  if (!is.null(start)) cl$start <- start
  cw <- capture_warnings(eval(cl))
  m_std <- cw$value
  m <- m_std
  if (polish) {
    # polish on the non-aliased columns only: with epsilon = 1e-300 glm.fit's rank tolerance
    # (min(1e-7, epsilon/1000)) would no longer detect the aliasing
    b0 <- coef(m_std); keep <- !is.na(b0)
    off0 <- m_std$offset; if (is.null(off0)) off0 <- rep(0, length(m_std$y))
    f1 <- suppressWarnings(glm.fit(model.matrix(m_std)[, keep, drop = FALSE], m_std$y, weights = m_std$prior.weights,
                                   offset = off0, family = family(m_std), start = b0[keep],
                                   control = glm.control(epsilon = 1e-300, maxit = 50)))
    bs <- setNames(rep(0, length(b0)), names(b0)); bs[keep] <- f1$coefficients
    cl_p <- cl; cl_p$start <- unname(bs)
    m <- suppressWarnings(eval(cl_p))
  }
  s <- summary(m)
  cf <- coef(m); nm <- names(cf)
  ct <- s$coefficients
  na_rows <- if (!is.null(m$na.action)) as.integer(m$na.action) else integer()
  write_csv_exact(d, file.path(dir, "data.csv"))
  ll <- tryCatch(as.numeric(logLik(m)), error = function(e) NA_real_)
  ex <- list(
    schema = SCHEMA, case = name, suite = "extra", kind = "glm", description = description,
    r_call = paste(deparse(cl, width.cutoff = 500L), collapse = " "),
    formula_py = formula_py, formula_py_kwargs = kwargs_py, family_py = family_py,
    start = if (is.null(start)) NULL else unname(start), start_py = start_py,
    polished = polish,
    provenance = provenance(),
    n_rows_data = nrow(d), rows_used = setdiff(seq_len(nrow(d)), na_rows), n_dropped = length(na_rows),
    r_warnings = unique(cw$warnings),
    coefficients = named_full(cf, nm), aliased = setNames(as.list(is.na(cf)), nm),
    se = named_full(ct[, 2], nm), statistic = named_full(ct[, 3], nm), pvalues = named_full(ct[, 4], nm),
    dispersion = s$dispersion, deviance = m$deviance, null_deviance = m$null.deviance,
    df_residual = m$df.residual, df_null = m$df.null, rank = m$rank, nobs = nobs(m),
    aic = if (is.na(ll)) NA_real_ else AIC(m), bic = if (is.na(ll)) NA_real_ else BIC(m), logLik = ll,
    pearson_chi2 = sum(residuals(m, "pearson")^2),
    fitted_values = unname(fitted(m)),
    iterations = m_std$iter, converged = m_std$converged, boundary = m_std$boundary,
    std_coefficients = named_full(coef(m_std), nm))
  write_json_file(ex, file.path(dir, "expected.json"))
}

## step-halving (R warns "step size truncated ..."; start values needed, as in R)
set.seed(3); n <- 80; x <- runif(n); yb <- rbinom(n, 1, 0.05 + 0.6 * x)
d <- data.frame(x = x, yb = yb)
extra_case("halving_binomial_log", "binomial log link (risk ratio), step-halving during the fit; start = (log(mean(y)), 0)",
  d, yb ~ x, binomial(link = "log"), list(family = "binomial", link = "log"), "yb ~ x",
  start = c(log(mean(yb)), 0))
set.seed(22); n <- 60; x <- runif(n, 0, 10); y <- rpois(n, pmax(0.2, 0.3 + 0.9 * x - 0.08 * x^2))
d <- data.frame(x = x, y = y)
extra_case("halving_poisson_identity", "Poisson identity link with a quadratic; mu leaves (0, Inf) and the step is halved; start = (mean(y), 0, 0)",
  d, y ~ x + I(x^2), poisson(link = "identity"), list(family = "poisson", link = "identity"), "y ~ x + I(x**2)",
  start = c(mean(y), 0, 0))

## aliasing (R's pivoting drops the later column)
d <- mtcars[, c("mpg", "wt", "hp", "cyl")]
extra_case("aliased_gaussian_mtcars", "mtcars: mpg ~ wt + hp + I(2 * wt) + factor(cyl); I(2*wt) aliased",
  d, mpg ~ wt + hp + I(2 * wt) + factor(cyl), gaussian(), list(family = "gaussian", link = NULL),
  "mpg ~ wt + hp + I(2*wt) + C(cyl)")
d <- warpbreaks[!(warpbreaks$wool == "B" & warpbreaks$tension == "H"), ]
d$tension <- as.character(d$tension); d$wool <- as.character(d$wool)
extra_case("aliased_poisson_empty_cell", "warpbreaks without the wool B / tension H cell: breaks ~ wool * tension, Poisson; woolB:tensionH is all zero",
  d, breaks ~ wool * tension, poisson(), list(family = "poisson", link = NULL), "breaks ~ wool * tension")

## separation (no finite MLE: R's default-epsilon iterate is stored, not polished)
d <- data.frame(x = 1:10, y = as.numeric(1:10 > 5))
extra_case("separation_complete", "complete separation: y = (x > 5), x = 1..10, binomial logit",
  d, y ~ x, binomial(), list(family = "binomial", link = NULL), "y ~ x", polish = FALSE)
set.seed(5); n <- 50; x <- rnorm(n); g <- rep(0:1, length.out = n); p <- plogis(-0.5 + x)
yq <- rbinom(n, 1, p); yq[g == 1] <- 1
d <- data.frame(x = x, g = g, y = yq)
extra_case("separation_quasi", "quasi-complete separation: all y = 1 where g = 1; binomial logit y ~ x + g",
  d, y ~ x + g, binomial(), list(family = "binomial", link = NULL), "y ~ x + g", polish = FALSE)

## odd links
d <- data.frame(ldose = rep(0:5, 2), numdead = c(1, 4, 9, 13, 18, 20, 0, 2, 6, 10, 12, 16),
                sex = rep(c("F", "M"), c(6, 6)))
d$prop <- d$numdead / 20; d$n <- 20
extra_case("budworm_cloglog", "budworm proportions with weights n: prop ~ sex + ldose, binomial cloglog",
  d, prop ~ sex + ldose, binomial(link = "cloglog"), list(family = "binomial", link = "cloglog"),
  "prop ~ sex + ldose", weights = "n", kwargs_py = list(var_weights = "n"))
extra_case("budworm_cauchit", "budworm proportions with weights n: prop ~ sex + ldose, binomial cauchit",
  d, prop ~ sex + ldose, binomial(link = "cauchit"), list(family = "binomial", link = "cauchit"),
  "prop ~ sex + ldose", weights = "n", kwargs_py = list(var_weights = "n"))
d <- MASS::cabbages[, c("VitC", "HeadWt", "Cult")]; d$Cult <- as.character(d$Cult)
extra_case("cabbages_gamma_identity", "MASS::cabbages: VitC ~ HeadWt + Cult, Gamma identity link",
  d, VitC ~ HeadWt + Cult, Gamma(link = "identity"), list(family = "Gamma", link = "identity"), "VitC ~ HeadWt + Cult")
clot <- data.frame(u = c(5, 10, 15, 20, 30, 40, 60, 80, 100),
                   lot1 = c(118, 58, 42, 35, 27, 25, 21, 19, 18),
                   lot2 = c(69, 35, 26, 21, 18, 16, 13, 12, 12))
extra_case("clotting_inverse_gaussian_log", "clotting lot 2: inverse Gaussian, log link",
  clot, lot2 ~ log(u), inverse.gaussian(link = "log"), list(family = "inverse.gaussian", link = "log"), "lot2 ~ np.log(u)")
d <- mtcars[, c("mpg", "wt", "hp")]
extra_case("mtcars_gaussian_log", "mtcars: mpg ~ wt + hp, Gaussian with log link",
  d, mpg ~ wt + hp, gaussian(link = "log"), list(family = "gaussian", link = "log"), "mpg ~ wt + hp")
d <- InsectSprays; d$spray <- as.character(d$spray)
extra_case("insectsprays_poisson_identity", "InsectSprays: count ~ spray, Poisson identity link",
  d, count ~ spray, poisson(link = "identity"), list(family = "poisson", link = "identity"), "count ~ spray")
extra_case("clotting_quasi_mu2_log", "clotting lot 1: quasi(link = log, variance = mu^2)",
  clot, lot1 ~ log(u), quasi(link = "log", variance = "mu^2"), list(family = "quasi", link = "log", variance = "mu^2"),
  "lot1 ~ np.log(u)")
d <- MASS::birthwt[, c("low", "age", "lwt", "smoke")]
extra_case("birthwt_quasibinomial", "MASS::birthwt: low ~ age + lwt + smoke, quasibinomial",
  d, low ~ age + lwt + smoke, quasibinomial(), list(family = "quasibinomial", link = NULL), "low ~ age + lwt + smoke")

## weights, missing values, no intercept
d <- warpbreaks; d$tension <- as.character(d$tension); d$wool <- as.character(d$wool)
set.seed(7); d$w <- round(runif(nrow(d), 0.5, 3), 2)
extra_case("warpbreaks_poisson_fracweights", "warpbreaks: breaks ~ wool + tension, Poisson with non-integer prior weights",
  d, breaks ~ wool + tension, poisson(), list(family = "poisson", link = NULL), "breaks ~ wool + tension",
  weights = "w", kwargs_py = list(var_weights = "w"))
d <- warpbreaks; d$tension <- as.character(d$tension); d$wool <- as.character(d$wool)
d$breaks[c(3, 17, 40)] <- NA; d$tension[c(5, 41)] <- NA; d$wool[c(17)] <- NA
extra_case("warpbreaks_gamma_missing", "warpbreaks with NAs in the response and both factors: breaks ~ wool + tension, Gamma log (na.omit drops 5 rows)",
  d, breaks ~ wool + tension, Gamma(link = "log"), list(family = "Gamma", link = "log"), "breaks ~ wool + tension")
d <- data.frame(treatment = as.character(gl(3, 3)), outcome = as.character(gl(3, 1, 9)),
                counts = c(18, 17, 15, 20, 10, 20, 25, 13, 12))
extra_case("dobson_no_intercept", "Dobson: counts ~ 0 + outcome + treatment (null model: mu = exp(0))",
  d, counts ~ 0 + outcome + treatment, poisson(), list(family = "poisson", link = NULL), "counts ~ 0 + C(outcome) + C(treatment)")
d <- MASS::Insurance[, c("District", "Group", "Age", "Holders", "Claims")]
# ordered factors in MASS: plain labels here, so that R and Python sort the levels alike
d$District <- as.character(d$District); d$Group <- paste0("G", as.integer(d$Group)); d$Age <- paste0("A", as.integer(d$Age))
extra_case("insurance_offset_no_intercept", "MASS::Insurance: Claims ~ 0 + District + offset(log(Holders)), Poisson (null model: offset only)",
  d, Claims ~ 0 + District + offset(log(Holders)), poisson(), list(family = "poisson", link = NULL),
  "Claims ~ 0 + C(District) + offset(np.log(Holders))")
extra_case("insurance_offset_intercept_factors", "MASS::Insurance: Claims ~ Group + Age + offset(log(Holders)), Poisson (null deviance refitted with the offset)",
  d, Claims ~ Group + Age + offset(log(Holders)), poisson(), list(family = "poisson", link = NULL),
  "Claims ~ Group + Age + offset(np.log(Holders))")

writeLines(capture.output(sessionInfo()), "sessionInfo.txt")
