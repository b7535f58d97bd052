# generate_plots.R -- R's numbers behind glmstats' diagnostic plots and quantile residuals
# (tests/report/test_plots.py, tests/inference/test_residuals.py).
#
# Run from this folder:   Rscript generate_plots.R
# Writes plots_reference.json and sessionInfo.txt beside this script.
# R 4.2.2 (Debian) with MASS 7.3-58.2 and statmod 1.5.0 (no other package: the JSON writer is below,
# numbers with 17 significant digits, NA as null).
#
# For each model on a bundled dataset (../../../datasets/*.csv, string columns as factors with
# sorted levels, as glmstats.datasets.load gives them), the quantities R's plot.lm draws for a glm
# (R >= 4.0: Pearson residuals; R < 4.0 and many textbooks: deviance residuals -- both stored):
#   predict(m) (the x axis of panels 1 and 3), residuals(m, "pearson"), residuals(m, "deviance"),
#   rstandard(m, type = "pearson"), rstandard(m) (deviance), hatvalues(m), cooks.distance(m),
#   m$rank, summary(m)$dispersion, and plot.lm's smooth curves (panel.smooth: lowess(x, y, f = 2/3,
#   iter = 0) for glm fits since R 4.0) of panel 1 (Pearson residuals on predict(m)) and panel 3
#   (sqrt(|rstandard(m, type = "pearson")|) on predict(m));
# and statmod::qresiduals(m) drawn after set.seed(seed), together with runif(n) drawn after the
# same set.seed(seed): statmod draws runif(n, a, b) = a + (b - a) * runif(n), so passing those
# uniforms to glmstats reproduces the randomized residuals number for number (continuous families
# draw nothing and the residuals are deterministic).
to_json <- function(x, indent = 0) {
  pad <- strrep("  ", indent + 1)
  if (is.list(x)) {
    items <- vapply(names(x), function(k) paste0(pad, '"', k, '": ', to_json(x[[k]], indent + 1)), "")
    return(paste0("{\n", paste(items, collapse = ",\n"), "\n", strrep("  ", indent), "}"))
  }
  if (is.character(x)) return(paste0('"', gsub('"', '\\\\"', x), '"'))
  vals <- ifelse(is.na(x), "null", sprintf("%.17g", as.numeric(x)))
  if (length(x) == 1) vals else paste0("[", paste(vals, collapse = ", "), "]")
}
write_json_file <- function(x, path) writeLines(to_json(x), path)
alpha_levels <- function(df) {
  for (cn in names(df)[vapply(df, is.character, TRUE)])
    df[[cn]] <- factor(df[[cn]], levels = sort(unique(df[[cn]]), method = "radix"))
  df
}
suppressPackageStartupMessages({ library(MASS); library(statmod) })

ds <- function(name, character = NULL) {
  d <- read.csv(file.path("../../../datasets", paste0(name, ".csv")), stringsAsFactors = FALSE,
                colClasses = if (is.null(character)) NA else setNames(rep("character", length(character)), character))
  alpha_levels(d)
}
dobson <- ds("dobson", c("treatment", "outcome"))
budworm <- ds("budworm")
clotting <- ds("clotting")
warpbreaks <- ds("warpbreaks")
insurance <- ds("insurance", "District")

models <- list(
  dobson_poisson = list(glm(counts ~ outcome + treatment, family = poisson(), data = dobson),
                        "gs.glm('counts ~ outcome + treatment', dobson, family='poisson')"),
  budworm_binomial = list(glm(cbind(numdead, n - numdead) ~ ldose + sex, family = binomial(), data = budworm),
                          "gs.glm('cbind(numdead, n - numdead) ~ ldose + sex', budworm, family='binomial')"),
  clotting_gamma = list(glm(lot1 ~ log(u), family = Gamma(), data = clotting),
                        "gs.glm('lot1 ~ np.log(u)', clotting, family='Gamma')"),
  clotting_invgauss = list(glm(lot2 ~ log(u), family = inverse.gaussian(link = "log"), data = clotting),
                           "gs.glm('lot2 ~ np.log(u)', clotting, family='inverse.gaussian', link='log')"),
  warpbreaks_gaussian = list(glm(breaks ~ wool * tension, family = gaussian(), data = warpbreaks),
                             "gs.glm('breaks ~ wool * tension', warpbreaks, family='gaussian')"),
  warpbreaks_negbin = list(glm.nb(breaks ~ wool + tension, data = warpbreaks),
                           "gs.glm_nb('breaks ~ wool + tension', warpbreaks)"),
  insurance_poisson = list(glm(Claims ~ District + Group + Age + offset(log(Holders)), family = poisson(), data = insurance),
                           "gs.glm('Claims ~ District + Group + Age + offset(np.log(Holders))', insurance, family='poisson')")
)

seed <- 20261204L
out <- list()
for (name in names(models)) {
  m <- models[[name]][[1]]
  n <- length(m$y)
  set.seed(seed); v <- runif(n)
  set.seed(seed); q <- qresiduals(m)
  out[[name]] <- list(
    r_call = paste(deparse(m$call), collapse = " "),
    python = models[[name]][[2]],
    rank = m$rank,
    dispersion = summary(m)$dispersion,
    theta = if (is.null(m$theta)) NA else m$theta,
    linear_predictor = unname(predict(m)),
    resid_pearson = unname(residuals(m, type = "pearson")),
    resid_deviance = unname(residuals(m, type = "deviance")),
    rstandard_pearson = unname(rstandard(m, type = "pearson")),
    rstandard_deviance = unname(rstandard(m)),
    hatvalues = unname(hatvalues(m)),
    cooks_distance = unname(cooks.distance(m)),
    lowess_resid = lowess(predict(m), residuals(m, type = "pearson"), iter = 0)$y,
    lowess_scale = lowess(predict(m), sqrt(abs(rstandard(m, type = "pearson"))), iter = 0)$y,
    qres_seed = seed,
    qres_uniform = v,
    qresiduals = unname(q)
  )
}
# lowess on 500 points with ties (x on a 0.1 grid): exercises the window's slide, the
# interpolation within delta = 1 % of the range, and tied x sharing a fit
set.seed(7)
x <- round(runif(500) * 50) / 10
y <- sin(x) + rnorm(500, sd = 0.5)
lw <- lowess(x, y, iter = 0)
out$lowess_synthetic <- list(r_call = "set.seed(7); x <- round(runif(500) * 50) / 10; y <- sin(x) + rnorm(500, sd = 0.5); lowess(x, y, iter = 0)",
                             x = x, y = y, fit_x = lw$x, fit_y = lw$y)
write_json_file(out, "plots_reference.json")
writeLines(capture.output(sessionInfo()), "sessionInfo.txt")
