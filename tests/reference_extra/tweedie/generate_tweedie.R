# generate_tweedie.R -- R reference values for glmstats' Tweedie likelihood (glmstats/tweedie.py).
# Run from this folder:   Rscript generate_tweedie.R
# Writes densities.csv, glm_fits.json, profile.csv, profile_mle.json and sessionInfo.txt beside this script.
#
# R 4.2.2 with statmod 1.5.0 and jsonlite (Debian bookworm packages). The CRAN package `tweedie`
# (dtweedie, tweedie_AIC/AICtweedie, logLiktweedie, tweedie.profile) is not packaged for Debian
# bookworm and CRAN cannot be reached from this machine, so:
#  * densities are computed from the definition of the compound Poisson-gamma distribution,
#      f(0) = exp(-lambda),  f(y) = sum_{j >= 1} dpois(j, lambda) * dgamma(y, shape = j * alpha, scale = tau),
#      lambda = mu^(2-p) / (phi (2-p)),  alpha = (2-p)/(p-1),  tau = phi (p-1) mu^(p-1),
#    summed on the log scale with R's dpois/dgamma (Loader's saddle-point algorithms) over every j
#    whose term is within exp(-60) of the largest -- the series that tweedie::dtweedie.series
#    evaluates (Dunn & Smyth 2005), written independently of glmstats' code;
#  * AIC / logLik follow tweedie::tweedie_AIC (= AICtweedie; logLiktweedie = tweedie_AIC(k = 0) / -2),
#    tweedie 2.3.x-3.x source: phi = deviance(fit) / sum(prior weights); edf = rank + 1;
#    AIC = -2 * sum(prior.weights * log(dtweedie(y, mu, phi, p))) + k * edf;
#  * the profile follows tweedie::tweedie.profile(method = "series", phi.method = "mle",
#    do.smooth = FALSE): glm.fit at each p, phi = the maximiser of sum(log f) (here the root of the
#    score, to 1e-15, instead of optimize() at its default 1.2e-4 tolerance, so the reference is the
#    actual maximiser), L = sum(log f) at that phi (tweedie.profile ignores prior weights in L; the
#    data here are unweighted); profile_mle.json: the maximiser over p by optimize(tol = 1e-9).
suppressPackageStartupMessages({ library(statmod); library(jsonlite) })

# log f(y; mu, phi, p) for 1 < p < 2 from the Poisson-gamma mixture; with score = TRUE, d log f / d phi:
# each mixture term's log has derivative (lambda - j + (y / tau - j * alpha)) / phi (lambda ~ 1/phi,
# tau ~ phi), so d log f / d phi = (lambda + y / tau - (1 + alpha) E[j | y]) / phi.
ldtweedie_mix <- function(y, mu, phi, p, score = FALSE) {
  n <- max(length(y), length(mu), length(phi))
  y <- rep_len(y, n); mu <- rep_len(mu, n); phi <- rep_len(phi, n)
  lambda <- mu^(2 - p) / (phi * (2 - p)); alpha <- (2 - p) / (p - 1); tau <- phi * (p - 1) * mu^(p - 1)
  out <- ej <- numeric(n)
  for (i in seq_len(n)) {
    if (y[i] == 0) { out[i] <- -lambda[i]; next }
    jm <- max(1, y[i]^(2 - p) / (phi[i] * (2 - p)))
    half <- ceiling(15 * sqrt(jm) + 60)
    repeat {
      j <- seq(max(1, floor(jm) - half), ceiling(jm) + half)
      lt <- dpois(j, lambda[i], log = TRUE) + dgamma(y[i], shape = j * alpha, scale = tau[i], log = TRUE)
      m <- max(lt)
      lo_ok <- j[1] == 1 || lt[1] < m - 60
      if (lo_ok && lt[length(lt)] < m - 60) break
      half <- 2 * half
    }
    e <- exp(lt - m)
    out[i] <- m + log(sum(e))
    ej[i] <- sum(j * e) / sum(e)
  }
  if (score) (lambda + y / tau - (1 + alpha) * ej) / phi else out
}

# ---- densities ----------------------------------------------------------------------------
grid <- expand.grid(y = c(0, 1e-3, 0.5, 1, 5, 50), mu = c(0.1, 1, 10), phi = c(0.05, 1, 10),
                    p = c(1.01, 1.1, 1.3, 1.5, 1.7, 1.9, 1.99))
grid$logf <- NA_real_
for (pp in unique(grid$p)) {
  k <- grid$p == pp
  grid$logf[k] <- ldtweedie_mix(grid$y[k], grid$mu[k], grid$phi[k], pp)
}
# a few extreme points: small phi / large y (thousands of terms), tiny y
ext <- data.frame(y = c(200, 1e4, 1e-8, 3, 0.2), mu = c(150, 9000, 2, 3, 0.05),
                  phi = c(0.01, 0.5, 2, 0.001, 50), p = c(1.5, 1.2, 1.8, 1.6, 1.4))
ext$logf <- mapply(ldtweedie_mix, ext$y, ext$mu, ext$phi, ext$p)
dens <- rbind(grid, ext)
write.csv(format(dens, digits = 17), "densities.csv", row.names = FALSE, quote = FALSE)

# ---- GLM fits: AICtweedie / logLiktweedie convention ----------------------------------------
d <- read.csv("../../reference/cases/tweedie_synthetic/data.csv")
tweedie_aic <- function(fit, p, k = 2) {      # tweedie::tweedie_AIC with dispersion = NULL
  wt <- fit$prior.weights
  disp <- deviance(fit) / sum(wt)
  -2 * sum(log(exp(ldtweedie_mix(fit$y, fitted(fit), disp, p))) * wt) + k * (fit$rank + 1)
}
tweedie_ll <- function(fit, p) {                # tweedie::logLiktweedie, but on the log scale
  wt <- fit$prior.weights
  disp <- deviance(fit) / sum(wt)
  sum(wt * ldtweedie_mix(fit$y, fitted(fit), disp, p))
}
fit_one <- function(name, p, link.power = 0, weights = NULL) {
  dd <- d
  dd$w <- if (is.null(weights)) 1 else weights
  ctl <- glm.control(epsilon = 1e-15, maxit = 500)
  m0 <- glm(y ~ x1 + grp, family = tweedie(var.power = p, link.power = link.power), data = dd,
            weights = w, control = glm.control(epsilon = 1e-12, maxit = 100))
  m <- glm(y ~ x1 + grp, family = tweedie(var.power = p, link.power = link.power), data = dd,
           weights = w, start = coef(m0), control = ctl)
  n <- sum(m$prior.weights > 0)
  list(name = name, var_power = p, link_power = link.power,
       weights = if (is.null(weights)) NULL else weights,
       r_call = sprintf("glm(y ~ x1 + grp, family = statmod::tweedie(var.power = %g, link.power = %g), data = d%s)",
                        p, link.power, if (is.null(weights)) "" else ", weights = w"),
       coefficients = as.list(coef(m)), deviance = deviance(m), rank = m$rank, nobs = n,
       phi_aic = deviance(m) / sum(m$prior.weights),
       logLiktweedie = tweedie_ll(m, p),
       AICtweedie = tweedie_aic(m, p),
       BIC = tweedie_aic(m, p, k = log(n)))
}
set.seed(20260501)
wts <- sample(1:3, nrow(d), replace = TRUE)
fits <- list(
  fit_one("p1.5_log", 1.5),
  fit_one("p1.3_log", 1.3),
  fit_one("p1.7_log", 1.7),
  fit_one("p1.5_log_weights", 1.5, weights = wts)
)
# Poisson on the same data is not possible (non-integer y); the AIC comparison is across p only.
writeLines(toJSON(list(
  provenance = list(R = R.version.string, statmod = as.character(packageVersion("statmod")),
                    script = "generate_tweedie.R",
                    data = "../../reference/cases/tweedie_synthetic/data.csv"),
  fits = fits), auto_unbox = TRUE, digits = NA, pretty = TRUE, null = "null"), "glm_fits.json")

# ---- profile over p (tweedie.profile(method = "series", phi.method = "mle")) ----------------
# phi: the root of the score by uniroot(tol = 1e-15) -- tweedie.profile minimises -2 sum(log f) with
# optimize() at its default tolerance (1.2e-4); that value is kept as phi_optimize_default.
X <- model.matrix(~ x1 + grp, d)
profile_at <- function(p) {
  f0 <- glm.fit(X, d$y, family = tweedie(var.power = p, link.power = 0), control = glm.control(epsilon = 1e-12, maxit = 100))
  f <- glm.fit(X, d$y, family = tweedie(var.power = p, link.power = 0), start = f0$coefficients,
               control = glm.control(epsilon = 1e-15, maxit = 500))
  mu <- f$fitted.values
  nll <- function(phi) -2 * sum(ldtweedie_mix(d$y, mu, phi, p))
  sc <- function(lphi) sum(ldtweedie_mix(d$y, mu, exp(lphi), p, score = TRUE))
  phi.saddle <- f$deviance / length(d$y)
  lphi <- uniroot(sc, lower = log(phi.saddle / 10), upper = log(phi.saddle * 10), tol = 1e-15)$root
  o <- optimize(nll, interval = c(min(0.001, phi.saddle / 2), 10 * phi.saddle))
  c(p = p, phi = exp(lphi), L = -nll(exp(lphi)) / 2, phi_optimize_default = o$minimum)
}
pv <- seq(1.1, 1.9, by = 0.1)
prof <- as.data.frame(t(sapply(pv, profile_at)))
write.csv(format(prof, digits = 17), "profile.csv", row.names = FALSE, quote = FALSE)
# the maximiser of the profile likelihood over p (between the neighbours of the best grid point)
ib <- which.max(prof$L)
op <- optimize(function(p) -profile_at(p)[["L"]], interval = pv[c(ib - 1, ib + 1)], tol = 1e-9)
best <- profile_at(op$minimum)
writeLines(toJSON(list(p_mle = op$minimum, phi_mle = best[["phi"]], L_mle = best[["L"]],
                       p_grid_max = pv[ib], optimize_tol = 1e-9), auto_unbox = TRUE, digits = NA, pretty = TRUE),
           "profile_mle.json")
writeLines(capture.output(sessionInfo()), "sessionInfo.txt")
