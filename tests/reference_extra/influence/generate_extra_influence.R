# generate_extra_influence.R -- R's influence measures and exact profile limits on the extra
# reference cases (../cases: odd links, weights, aliasing, missing values, no intercept,
# step-halving), for tests/test_influence.py and tests/test_profile.py.
#
# Run from this folder:   Rscript generate_extra_influence.R
# For every case of ../cases except the separation ones (no finite MLE): read data.csv, rebuild
# the family from expected.json's family_py, evaluate the case's r_call, continue the fit to
# machine precision (glm.fit on the non-aliased columns, epsilon = 1e-300) and re-run glm() from
# there, as ../generate_extra.R does; then write extra_<case>.json beside this script with
# hatvalues, cooks.distance, rstandard (deviance and pearson), rstudent, influence()$sigma,
# dfbeta, dfbetas (R omits aliased columns) and the exact profile limits of MASS's criterion
# (profile_ci_exact from ../../reference/refgen_lib.R; NA where no root exists).
# R 4.2.2 (Debian) with MASS 7.3-58.2; JSON writer from ../../reference/refgen_lib.R.
suppressWarnings(source("../../reference/refgen_lib.R", chdir = TRUE))

read_case_data <- function(path) {
  first <- strsplit(readLines(path, n = 2)[2], ",", fixed = TRUE)[[1]]
  quoted <- startsWith(first, '"')
  d <- read.csv(path, na.strings = "NA", stringsAsFactors = FALSE, colClasses = ifelse(quoted, "character", NA))
  alpha_levels(d)
}
json_field <- function(lines, key) {
  line <- grep(paste0('^\\s*"', key, '": '), lines, value = TRUE)[1]
  gsub('\\\\"', '"', sub(paste0('^\\s*"', key, '": "(.*)",?\\s*$'), "\\1", line))
}
family_from <- function(lines) {
  i <- grep('^\\s*"family_py": \\{', lines)[1]
  block <- c()
  for (k in (i + 1):length(lines)) { if (grepl("^\\s*\\}", lines[k])) break; block <- c(block, lines[k]) }
  get <- function(key) {
    l <- grep(paste0('"', key, '": '), block, value = TRUE)
    if (!length(l) || grepl(": null", l)) return(NULL)
    sub('^.*": "(.*)",?\\s*$', "\\1", l)
  }
  fam <- get("family"); link <- get("link"); variance <- get("variance")
  args <- list(); if (!is.null(link)) args$link <- link; if (!is.null(variance)) args$variance <- variance
  do.call(fam, args)
}

for (case in setdiff(list.files("../cases"), c("separation_complete", "separation_quasi"))) {
  message("case ", case)
  dir <- file.path("../cases", case)
  lines <- readLines(file.path(dir, "expected.json"))
  d <- read_case_data(file.path(dir, "data.csv"))
  family <- family_from(lines)
  r_call <- json_field(lines, "r_call")
  cl <- str2lang(r_call)
  env <- list2env(list(d = d, family = family))
  m_std <- suppressWarnings(eval(cl, env))
  b0 <- coef(m_std); keep <- !is.na(b0)
  off0 <- m_std$offset; if (is.null(off0)) off0 <- rep(0, length(m_std$y))
  f1 <- suppressWarnings(glm.fit(model.matrix(m_std)[, keep, drop = FALSE], m_std$y, weights = m_std$prior.weights,
                                 offset = off0, family = family(m_std), start = b0[keep],
                                 control = glm.control(epsilon = 1e-300, maxit = 50)))
  bs <- setNames(rep(0, length(b0)), names(b0)); bs[keep] <- f1$coefficients
  cl$start <- unname(bs)
  m <- suppressWarnings(eval(cl, env))
  infl <- influence(m)
  prof <- profile_ci_exact(m)
  write_json_file(list(
    case = case, r_call = r_call, family = family$family, link = family$link,
    provenance = list(R = R.version.string, MASS = as.character(packageVersion("MASS")),
                      script = "tests/reference_extra/influence/generate_extra_influence.R"),
    coefficients = coef(m),
    hatvalues = I(unname(hatvalues(m))),
    cooks_distance = I(unname(cooks.distance(m))),
    rstandard = I(unname(rstandard(m))),
    rstandard_pearson = I(unname(rstandard(m, type = "pearson"))),
    rstudent = I(unname(rstudent(m))),
    sigma = I(unname(infl$sigma)),
    dfbeta = jmat(dfbeta(m)),
    dfbetas = jmat(dfbetas(m)),
    confint_profile = jmat(prof)
  ), paste0("extra_", case, ".json"))
}
writeLines(capture.output(sessionInfo()), "sessionInfo.txt")
