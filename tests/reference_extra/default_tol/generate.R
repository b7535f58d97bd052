# generate.R -- R's glm() at its DEFAULT convergence (glm.control(): epsilon = 1e-8, maxit = 25) on the
# public reference cases, for tests/test_default_tol.py: coefficients, standard errors, iterations and
# hat values of the fit exactly as R returns it (not continued to the MLE, unlike ../../reference).
# R's standard errors and hat values come from the working weights of the iterate before the last update
# (summary.glm uses the QR of the last weighted least-squares fit), so at the default epsilon they differ
# from those at the converged MLE in the 5th-8th digit; glmstats follows the same rule.
# Run from this folder:   Rscript generate.R      (R 4.2.2, MASS and statmod from Debian's packages)
source("../../reference/refgen_lib.R")
library(MASS); library(statmod)
cases <- c("birthwt_binomial_probit", "clotting_gamma_inverse", "clotting_inverse_gaussian", "dobson_poisson",
           "infert_binomial_logit", "insectsprays_poisson_sqrt",
           "cabbages_gamma_log_weights", "budworm_binomial_prop_weights", "warpbreaks_quasipoisson")
factors <- list(dobson_poisson = c("outcome", "treatment"))
out <- list()
for (case in cases) {
  dir <- file.path("../../reference/cases", case)
  meta <- readLines(file.path(dir, "expected.json"))
  call_line <- grep('^ "r_call": "glm\\(', meta, value = TRUE)[1]
  r_call <- sub('^ *"r_call": "(.*)",?$', "\\1", call_line)
  r_call <- gsub('\\\\"', '"', r_call)
  r_call <- sub("control = glm.control\\(epsilon = 1e-12, maxit = 100\\)", "control = glm.control()", r_call)
  stopifnot(grepl("glm.control()", r_call, fixed = TRUE))
  d <- read.csv(file.path(dir, "data.csv"), stringsAsFactors = TRUE)
  for (col in factors[[case]]) d[[col]] <- factor(d[[col]])  # numeric codes that the case's data hold as factors
  m <- eval(parse(text = r_call))
  s <- summary(m)
  out[[case]] <- list(r_call = r_call, iterations = m$iter, converged = m$converged,
                      coefficients = unname(coef(m)), se = unname(s$coefficients[, 2]),
                      hatvalues = unname(hatvalues(m)))
}
out$provenance <- provenance()
write_json_file(out, "expected.json")
writeLines(capture.output(sessionInfo()), "sessionInfo.txt")
