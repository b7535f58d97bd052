# generate_negbin.R -- extra MASS::glm.nb reference cases for glmstats (beyond quine_glm_nb in ../../reference).
# Run from this folder:   Rscript generate_negbin.R
# Writes cases/<name>/{data.csv, newdata.csv, expected.json} and sessionInfo.txt
# (JSON/CSV writers from ../../reference/refgen_lib.R; R 4.2.2, MASS 7.3-58.2).
#
# Every case: m <- MASS::glm.nb(formula, data = d, [weights = w,] link = <link>,
#                               control = glm.control(epsilon = 1e-12, maxit = 100))
# `glm_nb` holds m as returned; `reference` the fully converged ML, computed exactly as the public
# suite does (refgen_lib.R, run_glmnb_case): fixed-theta glm.fit to epsilon = 1e-15 then 10 more
# iterations, alternated with theta.ml(eps = 1e-11) until theta is stable to 1e-15 relative.
source("../../reference/refgen_lib.R")
ROOT <- "cases"
unlink(ROOT, recursive = TRUE)

nb_case <- function(name, description, d, formula, formula_py, link = "log", weights = NULL,
                    kwargs_py = NULL, newdata = NULL) {
  message("case ", name)
  dir <- file.path(ROOT, name); dir.create(dir, recursive = TRUE, showWarnings = FALSE)
  rownames(d) <- NULL
  environment(formula) <- environment()
  cl <- quote(glm.nb(F, data = d, control = CTL))
  cl[[2]] <- formula
  if (!is.null(weights)) cl$weights <- as.name(weights)
  cl$link <- as.name(link)
  cw <- capture_warnings(eval(cl))
  m <- cw$value
  s <- summary(m)
  X <- model.matrix(m)
  w <- m$prior.weights
  off <- if (is.null(m$offset)) rep(0, nrow(X)) else m$offset
  th <- m$theta
  for (k in 1:100) {
    f <- glm.fit(X, m$y, weights = w, offset = off, family = negative.binomial(th, link = link),
                 start = coef(m), control = glm.control(epsilon = 1e-15, maxit = 1000))
    f <- suppressWarnings(glm.fit(X, m$y, weights = w, offset = off, family = negative.binomial(th, link = link),
                                  start = f$coefficients, control = glm.control(epsilon = 1e-300, maxit = 10)))
    th2 <- theta.ml(m$y, f$fitted.values, sum(w), w, limit = 1000, eps = 1e-11)
    if (abs(th2 - th) <= 1e-15 * th) { th <- th2; break }
    th <- th2
  }
  th <- as.vector(th)
  clr <- quote(glm(F, data = d, family = negative.binomial(th, link = LINK), start = f$coefficients,
                   control = glm.control(epsilon = 1e-15, maxit = 1000)))
  clr[[2]] <- formula
  clr$family[[3]] <- link
  if (!is.null(weights)) clr$weights <- as.name(weights)
  mr <- eval(clr)
  sr <- summary(mr, dispersion = 1)
  tl <- theta.ml(m$y, fitted(mr), sum(w), w, limit = 1000, eps = 1e-11)
  twoll_ref <- 2 * as.numeric(logLik(mr))
  ct <- s$coefficients; ctr <- sr$coefficients
  write_csv_exact(d, file.path(dir, "data.csv"))
  ex <- list(schema = SCHEMA, case = name, suite = "extra-negbin", kind = "glm_nb", description = description,
             r_call = paste(deparse(cl, width.cutoff = 500L), collapse = " "),
             formula_r = paste(deparse(formula, width.cutoff = 500), collapse = " "),
             formula_py = formula_py, formula_py_kwargs = kwargs_py, link = link,
             files = list(data = "data.csv"), r_warnings = I(cw$warnings), provenance = provenance(),
             nobs = nobs(m), rank = m$rank, df_residual = m$df.residual,
             glm_nb = list(
               theta = m$theta, SE_theta = m$SE.theta, twologlik = m$twologlik,
               coefficients = coef(m), se = ct[, 2], statistic = ct[, 3], pvalues = ct[, 4],
               deviance = m$deviance, null_deviance = m$null.deviance,
               aic = AIC(m), bic = BIC(m), logLik = as.numeric(logLik(m)),
               iterations = m$iter, converged = m$converged),
             reference = list(
               theta = th, SE_theta = attr(tl, "SE"), twologlik = twoll_ref,
               coefficients = coef(mr), se = ctr[, 2], statistic = ctr[, 3], pvalues = ctr[, 4],
               deviance = mr$deviance, null_deviance = mr$null.deviance,
               aic = -twoll_ref + 2 * (mr$rank + 1),
               bic = -twoll_ref + log(nobs(mr)) * (mr$rank + 1),
               logLik = twoll_ref / 2,
               fitted_values = I(unname(fitted(mr))),
               vcov = jmat(vcov(mr, dispersion = 1))),
             max_rel_diff_glm_nb_vs_reference = max(abs(coef(m) - coef(mr)) / pmax(abs(coef(mr)), 1e-8)),
             theta_rel_diff_glm_nb_vs_reference = abs(m$theta - th) / th)
  if (!is.null(newdata)) {
    write_csv_exact(newdata, file.path(dir, "newdata.csv")); ex$files$newdata <- "newdata.csv"
    ex$reference$predict_response <- I(unname(predict(mr, newdata = newdata, type = "response")))
    ex$reference$predict_link <- I(unname(predict(mr, newdata = newdata, type = "link")))
  }
  write_json_file(ex, file.path(dir, "expected.json"))
  invisible(ex)
}

## 1. simulated counts with an exposure offset, a continuous and a factor covariate (seed 20251126)
set.seed(20251126)
n <- 250
sim <- data.frame(x = round(rnorm(n), 4), g = sample(c("a", "b", "c"), n, replace = TRUE),
                  t = round(runif(n, 0.5, 4), 3))
mu <- sim$t * exp(0.3 + 0.5 * sim$x + c(a = 0, b = 0.4, c = -0.3)[sim$g])
sim$y <- rnbinom(n, size = 2.5, mu = mu)
new_sim <- data.frame(x = c(-1, 0.5, 2), g = c("a", "c", "b"), t = c(1, 2.5, 0.75))
nb_case("sim_offset_log", "simulated NB(theta = 2.5) counts, y ~ x + g + offset(log(t)), log link",
        sim, y ~ x + g + offset(log(t)), "y ~ x + g + offset(np.log(t))", newdata = new_sim)

## 2. the same data with prior weights 1..3 (R's weights = glmstats var_weights) and the sqrt link
set.seed(7)
simw <- sim; simw$w <- sample(1:3, n, replace = TRUE)
nb_case("sim_weights_sqrt", "the simulated counts with prior weights w (1..3), y ~ x + g, sqrt link",
        simw, y ~ x + g, "y ~ x + g", link = "sqrt", weights = "w", kwargs_py = list(var_weights = "w"),
        newdata = new_sim)

## 3. MASS::quine with the sqrt link
d <- alpha_levels(quine)
nb_case("quine_sqrt", "MASS::quine: glm.nb(Days ~ Eth + Sex + Age + Lrn, link = sqrt)",
        d, Days ~ Eth + Sex + Age + Lrn, "Days ~ Eth + Sex + Age + Lrn", link = "sqrt")

writeLines(capture.output(sessionInfo()), "sessionInfo.txt")
