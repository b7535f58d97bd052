# generate.R -- R's fits of the bundled data sets' suggested models with R's OWN factors (level
# order and ordered factors as R ships them), for tests/test_datasets.py: the levels of each
# factor, and the coefficients (in R's column order), deviance/log-likelihood of each fit.
# glmstats.datasets.load() returns factors as Categoricals in R's level order, so its fits
# must give these numbers column for column.
# Run from this folder:   Rscript generate.R      (R 4.2.2, MASS 7.3-58.2, nnet 7.3-18)
suppressPackageStartupMessages({library(MASS); library(nnet)})
# The JSON writer of ../../reference/refgen_lib.R (fmt_num ... write_json_file: numbers as "%.15g"
# when that is exact, else "%.17g"); only that section, as the file also loads car, glmnet, lmtest.
lib <- readLines("../../reference/refgen_lib.R")
eval(parse(text = lib[grep("^fmt_num <- ", lib):grep("^write_json_file <- ", lib)]))
provenance <- function() list(R = R.version.string, MASS = as.character(packageVersion("MASS")),
                              nnet = as.character(packageVersion("nnet")),
                              glm_control = "glm.control(epsilon = 1e-12, maxit = 100)")
ctl <- glm.control(epsilon = 1e-12, maxit = 100)
unordered <- function(d) { for (cn in names(d)) if (is.ordered(d[[cn]])) d[[cn]] <- factor(d[[cn]], ordered = FALSE); d }
levels_of <- function(d) lapply(Filter(is.factor, d), levels)
fit_out <- function(r_call, m, extra = list()) {
  c(list(r_call = r_call, coef_names = names(coef(m)), coefficients = unname(coef(m)),
         deviance = deviance(m)), extra)
}
# read back the bundled CSV (claims) as a user of R would, with the script's levels
claims <- read.csv("../../../datasets/claims.csv", stringsAsFactors = FALSE)
claims$region <- factor(claims$region, levels = c("rural", "suburban", "urban"))
dobson <- data.frame(treatment = gl(3, 3), outcome = gl(3, 1, 9),
                     counts = c(18, 17, 15, 20, 10, 20, 25, 13, 12))
out <- list()
out$levels <- list(dobson = levels_of(dobson), insurance = levels_of(Insurance),
                   warpbreaks = levels_of(warpbreaks), quine = levels_of(quine),
                   housing = levels_of(housing), claims = levels_of(claims))
out$ordered <- list(insurance = I(names(Filter(is.ordered, Insurance))), housing = I(names(Filter(is.ordered, housing))))
ins <- unordered(Insurance)
f <- list()
f$dobson <- fit_out("glm(counts ~ outcome + treatment, family = poisson(), data = dobson)",
  glm(counts ~ outcome + treatment, family = poisson(), data = dobson, control = ctl))
f$warpbreaks <- fit_out("glm(breaks ~ wool * tension, family = quasipoisson(), data = warpbreaks)",
  glm(breaks ~ wool * tension, family = quasipoisson(), data = warpbreaks, control = ctl))
f$insurance <- fit_out("glm(Claims ~ District + Group + Age + offset(log(Holders)), family = poisson(), data = ins); ins: Insurance with Group and Age as factor(x, ordered = FALSE)",
  glm(Claims ~ District + Group + Age + offset(log(Holders)), family = poisson(), data = ins, control = ctl))
f$insurance_poly <- fit_out("glm(Claims ~ District + Group + Age + offset(log(Holders)), family = poisson(), data = Insurance) (ordered Group, Age: contr.poly)",
  glm(Claims ~ District + Group + Age + offset(log(Holders)), family = poisson(), data = Insurance, control = ctl))
nb <- glm.nb(Days ~ Eth + Sex + Age + Lrn, data = quine, control = ctl)
f$quine <- fit_out("MASS::glm.nb(Days ~ Eth + Sex + Age + Lrn, data = quine)", nb, list(theta = nb$theta))
mn <- multinom(Sat ~ Infl + Type + Cont, weights = Freq, data = housing, trace = FALSE, reltol = 1e-14, maxit = 1000)
f$housing <- list(r_call = "nnet::multinom(Sat ~ Infl + Type + Cont, weights = Freq, data = housing, reltol = 1e-14, maxit = 1000)",
                  classes = mn$lev, coef_names = colnames(coef(mn)), coefficients = lapply(seq_len(nrow(coef(mn))), function(i) I(unname(coef(mn)[i, ]))),
                  loglik = as.numeric(logLik(mn)))
f$claims <- fit_out("glm(claims ~ age + region + offset(log(exposure)), family = poisson(), data = claims)",
  glm(claims ~ age + region + offset(log(exposure)), family = poisson(), data = claims, control = ctl))
nbc <- glm.nb(claims ~ age + region + offset(log(exposure)), data = claims, control = ctl)
f$claims_nb <- fit_out("MASS::glm.nb(claims ~ age + region + offset(log(exposure)), data = claims)", nbc,
                       list(theta = nbc$theta))
out$fits <- f
out$provenance <- provenance()
write_json_file(out, "expected.json")
writeLines(capture.output(sessionInfo()), "sessionInfo.txt")
