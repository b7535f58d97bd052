# generate_rao.R -- R's Rao score tests (test = "Rao") for glmstats' parity tests, with and without an
# intercept, for the Gaussian, Poisson, binomial and Gamma families.
# Run from this folder:   Rscript generate_rao.R
# Writes rao.json, cars.csv (R's built-in `cars`, for the Python side) and sessionInfo.txt.
# The other data frames are the package's own CSVs (../../../datasets/, written by R; factors read
# with the levels of datasets.json).
#
# For every case, with m_small and m_large fitted by glm(..., control = glm.control(epsilon = 1e-12,
# maxit = 100)):
#   anova_pair       anova(m_small, m_large, test = "Rao")    (stats:::anova.glmlist)
#   anova_sequential anova(m_large, test = "Rao")             (stats:::anova.glm)
#   drop1            drop1(m_large, test = "Rao")             (stats:::drop1.glm)
# R's auxiliary regression glm.fit(X, r, w, intercept = icpt) measures its null deviance from the
# weighted mean of r when icpt is TRUE: anova.glmlist takes icpt from the smaller model's formula,
# anova.glm from the model's, and drop1.glm always uses TRUE (glm.fit's default).
source("json_lib.R")
CTL <- glm.control(epsilon = 1e-12, maxit = 100)
DATA <- "../../../datasets"
write.csv(cars, "cars.csv", row.names = FALSE)

rd <- function(name, factors = list()) {
  d <- read.csv(file.path(DATA, paste0(name, ".csv")), stringsAsFactors = FALSE)
  for (f in names(factors)) d[[f]] <- factor(as.character(d[[f]]), levels = factors[[f]])
  d
}
datasets <- list(
  cars = read.csv("cars.csv"),
  budworm = rd("budworm", list(sex = c("F", "M"))),
  clotting = rd("clotting"),
  warpbreaks = rd("warpbreaks", list(wool = c("A", "B"), tension = c("L", "M", "H"))),
  insurance = rd("insurance", list(District = c("1", "2", "3", "4"), Group = c("<1l", "1-1.5l", "1.5-2l", ">2l"),
                                   Age = c("<25", "25-29", "30-35", ">35")))
)

cases <- list()
rao_case <- function(name, data, small, large, family, small_py, large_py, family_py, weights = NULL,
                     kwargs_py = list()) {
  message("case ", name)
  d <- datasets[[data]]
  fit <- function(f) {
    cl <- call("glm", f, family = family, data = quote(d), control = CTL)
    if (!is.null(weights)) cl$weights <- as.name(weights)
    eval(cl)
  }
  ms <- fit(small); ml <- fit(large)
  cases[[name]] <<- list(
    data = data, family = family_py, kwargs_py = kwargs_py,
    r_small = paste(deparse(small), collapse = " "), r_large = paste(deparse(large), collapse = " "),
    r_family = paste(deparse(family), collapse = " "), weights = weights,
    small_py = small_py, large_py = large_py,
    intercept_small = attr(terms(ms), "intercept") == 1, intercept_large = attr(terms(ml), "intercept") == 1,
    anova_pair = as.data.frame(anova(ms, ml, test = "Rao")),
    anova_sequential = as.data.frame(anova(ml, test = "Rao")),
    drop1 = as.data.frame(drop1(ml, test = "Rao")))
}

# Gaussian: R's score for a Gaussian fit is the deviance difference (its scaled Rao the F-free LR)
rao_case("gaussian_cars_no_intercept", "cars", dist ~ speed - 1, dist ~ speed + I(speed^2) - 1, quote(gaussian()),
         "dist ~ speed - 1", "dist ~ speed + I(speed**2) - 1", "gaussian")
rao_case("gaussian_cars_intercept", "cars", dist ~ speed, dist ~ speed + I(speed^2), quote(gaussian()),
         "dist ~ speed", "dist ~ speed + I(speed**2)", "gaussian")
rao_case("poisson_cars_log_no_intercept", "cars", dist ~ log(speed) - 1, dist ~ log(speed) + speed - 1,
         quote(poisson()), "dist ~ np.log(speed) - 1", "dist ~ np.log(speed) + speed - 1", "poisson")
rao_case("poisson_warpbreaks_no_intercept", "warpbreaks", breaks ~ tension - 1, breaks ~ tension + wool - 1,
         quote(poisson()), "breaks ~ tension - 1", "breaks ~ tension + wool - 1", "poisson")
rao_case("poisson_insurance_offset", "insurance", Claims ~ District + offset(log(Holders)),
         Claims ~ District + Group + Age + offset(log(Holders)), quote(poisson()),
         "Claims ~ District + offset(np.log(Holders))", "Claims ~ District + Group + Age + offset(np.log(Holders))",
         "poisson")
rao_case("binomial_budworm_no_intercept", "budworm", prop ~ ldose - 1, prop ~ ldose + sex - 1, quote(binomial()),
         "prop ~ ldose - 1", "prop ~ ldose + sex - 1", "binomial", weights = "n", kwargs_py = list(var_weights = "n"))
rao_case("binomial_budworm_intercept", "budworm", prop ~ ldose, prop ~ sex * ldose, quote(binomial()),
         "prop ~ ldose", "prop ~ sex * ldose", "binomial", weights = "n", kwargs_py = list(var_weights = "n"))
# no intercept with a log link: the sequential table's NULL row is eta = 0 (an inverse link has no mean there)
rao_case("gamma_clotting_log_no_intercept", "clotting", lot1 ~ log(u) - 1, lot1 ~ log(u) + u - 1,
         quote(Gamma(link = "log")), "lot1 ~ np.log(u) - 1", "lot1 ~ np.log(u) + u - 1", "Gamma:log")
rao_case("gamma_clotting_intercept", "clotting", lot1 ~ log(u), lot1 ~ log(u) + I(log(u)^2), quote(Gamma()),
         "lot1 ~ np.log(u)", "lot1 ~ np.log(u) + I(np.log(u)**2)", "Gamma")

out <- list(r_version = R.version.string, glm_control = "glm.control(epsilon = 1e-12, maxit = 100)",
            script = "generate_rao.R", cases = cases)
writeLines(to_json(out), "rao.json")
writeLines(capture.output(sessionInfo()), "sessionInfo.txt")
