# generate_trace.R -- R's IRLS trace (glm.control(trace = TRUE)) for the fit_history tests.
# Run from this folder:   Rscript generate_trace.R
# Writes <case>.csv with one row per IRLS iteration: iteration, deviance (at the accepted step:
# the "Step halved: new deviance" value when R halved the step, else the "Deviance =" value),
# halved (1 when R printed "Step halved" in that iteration); and negbin_warpbreaks_theta.csv, MASS's
# glm.nb trace (theta per alternation, as printed). R 4.2.2 (Debian), MASS 7.3-58.2.
options(digits = 17)

trace_rows <- function(call_expr) {
  out <- capture.output(m <- eval(call_expr))
  rows <- list()
  for (line in out) {
    if (startsWith(line, "Deviance = ")) {
      parts <- regmatches(line, regexec("^Deviance = (.*) Iterations - ([0-9]+)$", line))[[1]]
      rows[[length(rows) + 1]] <- c(iteration = as.numeric(parts[3]), deviance = as.numeric(parts[2]), halved = 0)
    } else if (startsWith(line, "Step halved: new deviance = ")) {
      k <- length(rows)
      rows[[k]]["deviance"] <- as.numeric(sub("^Step halved: new deviance = ", "", line))
      rows[[k]]["halved"] <- 1
    }
  }
  tab <- as.data.frame(do.call(rbind, rows))
  stopifnot(nrow(tab) == m$iter, isTRUE(all.equal(tab$deviance[nrow(tab)], deviance(m), tolerance = 0)))
  tab
}

write_case <- function(name, tab) {
  tab$deviance <- sprintf("%.17g", tab$deviance)
  write.csv(tab, paste0(name, ".csv"), row.names = FALSE, quote = FALSE)
}

# Dobson (1990) p. 93, R's glm.D93
d93 <- data.frame(treatment = gl(3, 3), outcome = gl(3, 1, 9), counts = c(18, 17, 15, 20, 10, 20, 25, 13, 12))
write_case("dobson_poisson", trace_rows(quote(
  glm(counts ~ outcome + treatment, family = poisson(), data = d93, control = glm.control(trace = TRUE)))))

# identity-link Poisson started at (5, 0.01): the full steps of iterations 1-6 give negative means,
# so R halves them (the deviance then falls at every iteration)
x <- 1:20
y <- c(0, 1, 0, 2, 1, 3, 2, 4, 3, 5, 4, 6, 5, 7, 6, 8, 7, 9, 8, 10)
write_case("identity_poisson_halving", trace_rows(quote(
  glm(y ~ x, family = poisson(link = "identity"), start = c(5, 0.01), control = glm.control(trace = TRUE)))))

# MASS::glm.nb(trace = TRUE) on warpbreaks: one message per alternation,
# "Theta(k) = <signif(theta), 6 significant digits>, 2(Ls - Lm) = <signif(deviance)>"
library(MASS)
msgs <- character()
nb <- withCallingHandlers(glm.nb(breaks ~ wool + tension, data = warpbreaks, trace = TRUE),
                          message = function(c) { msgs <<- c(msgs, conditionMessage(c)); invokeRestart("muffleMessage") })
parts <- regmatches(msgs, regexec("^Theta\\(([0-9]+)\\) = ([0-9.]+), 2\\(Ls - Lm\\) = ([0-9.]+)", msgs))
tab <- data.frame(alternation = sapply(parts, function(p) as.integer(p[2])),
                  theta = sapply(parts, function(p) p[3]), deviance = sapply(parts, function(p) p[4]))
stopifnot(nrow(tab) > 0, !anyNA(tab$alternation))
write.csv(tab, "negbin_warpbreaks_theta.csv", row.names = FALSE, quote = FALSE)

writeLines(capture.output(sessionInfo()), "sessionInfo.txt")
