## Print the factor levels of the bundled data sets as R defines them, as JSON.
##
## Run in this folder:  Rscript generate_levels.R   (R 4.2.2, MASS 7.3-58.2; writes nothing)
## Output: {"<dataset>": {"<column>": {"levels": [...], "ordered": true|false}, ...}, ...}
## datasets.json stores the same facts per data set as "levels" (column -> levels in R's
## order) and "ordered" (the columns R stores as ordered factors), and
## tests/test_datasets.py runs this script, when Rscript is available, to compare them.

suppressPackageStartupMessages(library(MASS))

## The R objects each data set comes from.
sources <- list(
  ## ?glm (Dobson 1990, p. 93): outcome <- gl(3, 1, 9); treatment <- gl(3, 3)
  dobson = data.frame(treatment = gl(3, 3), outcome = gl(3, 1, 9)),
  insurance = Insurance,
  ## V&R sec. 7.2: sex <- factor(rep(c("M", "F"), c(6, 6)))
  budworm = data.frame(sex = factor(rep(c("M", "F"), c(6, 6)))),
  clotting = data.frame(u = numeric(0)),
  warpbreaks = warpbreaks,
  quine = quine,
  housing = housing,
  ## simulate_claims.R: factor(..., levels = c("rural", "suburban", "urban"))
  claims = data.frame(region = factor(character(0), levels = c("rural", "suburban", "urban")))
)

quoted <- function(x) paste0('"', gsub('"', '\\"', x, fixed = TRUE), '"', collapse = ", ")

sets <- vapply(names(sources), function(name) {
  d <- sources[[name]]
  cols <- names(d)[vapply(d, is.factor, TRUE)]
  fields <- vapply(cols, function(cn) {
    sprintf('    "%s": {"levels": [%s], "ordered": %s}', cn, quoted(levels(d[[cn]])),
            tolower(is.ordered(d[[cn]])))
  }, "")
  sprintf('  "%s": {%s%s%s}', name, if (length(cols)) "\n" else "",
          paste(fields, collapse = ",\n"), if (length(cols)) "\n  " else "")
}, "")
cat("{\n", paste(sets, collapse = ",\n"), "\n}\n", sep = "")
