# generate_anova_negbin.R -- MASS's likelihood-ratio tests between negative binomial fits with theta
# estimated (anova(nb1, nb2, ...), MASS:::anova.negbin), for glmstats' gs.anova on glm_nb fits.
# Run from this folder:   Rscript generate_anova_negbin.R
# Writes anova_negbin.json (this folder's sessionInfo.txt records R 4.2.2 and MASS 7.3-58.2).
#
# Each case fits glm.nb(formula, data, control = CTL) for its formulas, in the order listed, and stores
# anova(<fits in that order>) (MASS sorts them by decreasing residual df). Two controls:
#   "tight":   glm.control(epsilon = 1e-12, maxit = 100), theta and the coefficients converged to the ML
#              (what glmstats' fit() gives by default, polish = True);
#   "default": glm.nb's default glm.control() (epsilon = 1e-8, maxit = 25), MASS's printed example.
# quine is MASS's (the package's datasets/quine.csv is written from it by export_mass.R); warpbreaks R's.
suppressPackageStartupMessages(library(MASS))
source("../rao/json_lib.R")

table_of <- function(a) {
  class(a) <- "data.frame"
  attr(a, "heading") <- NULL
  names(a) <- trimws(names(a))  # MASS pads "2 x log-lik." and "df" with blanks for printing
  a
}

cases <- list()
nb_anova <- function(name, data, formulas_r, formulas_py, call) {
  message("case ", name)
  d <- get(data)
  out <- list(data = data, formulas_r = I(vapply(formulas_r, function(f) paste(deparse(f), collapse = " "), "")),
              formulas_py = I(formulas_py), r_call = call)
  for (ctl in c("tight", "default")) {
    control <- if (ctl == "tight") glm.control(epsilon = 1e-12, maxit = 100) else glm.control()
    fits <- lapply(formulas_r, function(f) { environment(f) <- environment(); glm.nb(f, data = d, control = control) })
    out[[ctl]] <- list(anova = table_of(do.call(anova, unname(fits))),
                       theta = sapply(fits, function(m) m$theta), twologlik = sapply(fits, function(m) m$twologlik),
                       df_residual = sapply(fits, function(m) m$df.residual))
  }
  cases[[name]] <<- out
}

nb_anova("quine_mass_example", "quine",
         list(Days ~ Sex/(Age + Eth * Lrn), Days ~ Sex/(Age + Eth * Lrn) + Sex:Age:Lrn, Days ~ Sex/(Age * Eth * Lrn)),
         c("Days ~ Sex/(Age + Eth*Lrn)", "Days ~ Sex/(Age + Eth*Lrn) + Sex:Age:Lrn", "Days ~ Sex/(Age*Eth*Lrn)"),
         "anova(quine.nb1, quine.nb2, quine.nb3) as in MASS's ?anova.negbin (nb3: update(nb2, Days ~ .^4))")
nb_anova("quine_smaller_first_given_last", "quine",
         list(Days ~ Sex/(Age + Eth * Lrn), Days ~ Eth + Sex + Age + Lrn, Days ~ Sex + Age),
         c("Days ~ Sex/(Age + Eth*Lrn)", "Days ~ Eth + Sex + Age + Lrn", "Days ~ Sex + Age"),
         "anova(nb_large, nb_main, nb_small): MASS sorts by decreasing residual df")
nb_anova("warpbreaks", "warpbreaks",
         list(breaks ~ wool, breaks ~ wool + tension, breaks ~ wool * tension),
         c("breaks ~ wool", "breaks ~ wool + tension", "breaks ~ wool * tension"),
         "anova(glm.nb(breaks ~ wool), glm.nb(breaks ~ wool + tension), glm.nb(breaks ~ wool * tension))")

out <- list(r_version = R.version.string, MASS = as.character(packageVersion("MASS")),
            script = "generate_anova_negbin.R", cases = cases)
writeLines(to_json(out), "anova_negbin.json")
