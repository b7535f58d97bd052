# generate_profile_separation.R -- exact profile-likelihood limits under quasi-separation, for
# glmstats' profile tests (tests/test_profile.py).
#
# Run from this folder:   Rscript generate_profile_separation.R
# Data (inline): x = 1..10, g = (x > 6), y = (0,0,0,0,1,0,1,1,1,1): every g = 1 row is a success, so
# the coefficient of g diverges (quasi-separation).  The fit is glm(y ~ g + x, binomial()) at R's
# default control; limits by profile_ci_exact (../../reference/refgen_lib.R: uniroot on fully
# converged constrained refits of MASS::confint.glm's criterion), which returns NA for the upper
# limit of g (the profile never reaches the cutoff).  MASS's own confint(m) is kept for information.
# Writes profile_quasi_separation.json beside this script.  R 4.2.2 (Debian), MASS 7.3-58.2.
suppressWarnings(source("../../reference/refgen_lib.R", chdir = TRUE))
x <- 1:10; g <- as.numeric(x > 6); y <- c(0, 0, 0, 0, 1, 0, 1, 1, 1, 1)
d <- data.frame(y = y, g = g, x = x)
m <- suppressWarnings(glm(y ~ g + x, family = binomial(), data = d))
ci <- profile_ci_exact(m)
ci_mass <- suppressMessages(suppressWarnings(confint(m)))
write_json_file(list(
  description = "quasi-separation: y ~ g + x, binomial(); g's coefficient diverges",
  r_call = "glm(y ~ g + x, family = binomial(), data = d)",
  data = list(x = I(x), g = I(g), y = I(y)),
  coefficients = coef(m),
  profile_exact = jmat(ci),
  profile_MASS = jmat(ci_mass),
  provenance = list(R = R.version.string, MASS = as.character(packageVersion("MASS")),
                    script = "tests/reference_extra/influence/generate_profile_separation.R")
), "profile_quasi_separation.json")
