## Simulate the policy-level motor claims data set `claims` of glmstats.datasets.
##
## Run in this folder:  Rscript simulate_claims.R   (writes claims.csv; R 4.2.2, MASS 7.3-58.2)
##
## Synthetic data, made for examples of count models with an exposure offset; no real
## policies. 4000 policies observed for part of or a whole year:
##   age       driver's age in years, 18 to 85 (integers, more drivers in middle age)
##   region    where the car is kept, ordered by how built-up it is:
##             rural < suburban < urban (treatment contrasts: rural is the baseline)
##   exposure  policy-years in force: 60% a whole year, the rest days/365 with days
##             uniform on 30..364, rounded to 4 decimals
##   claims    number of claims in the period
## Model (the suggested fit recovers it):
##   log E[claims] = log(exposure) - 1.6 - 0.015 * (age - 45) + b[region],
##   b = (0, 0.25, 0.5) for rural, suburban, urban;
## claims given the mean are negative binomial with theta = 1.5 (R's rnbinom(size = theta)):
## Var = mu + mu^2 / theta, a gamma frailty per policy. Poisson fits of these data are
## overdispersed (deviance / df above 1), and MASS::glm.nb estimates theta near 1.5, so
## Poisson and negative binomial standard errors, AIC and tests differ visibly.

set.seed(20261204)
n <- 4000L
age <- pmin(pmax(round(rnorm(n, mean = 45, sd = 14)), 18), 85)
region <- factor(sample(c("rural", "suburban", "urban"), n, replace = TRUE,
                        prob = c(0.25, 0.40, 0.35)),
                 levels = c("rural", "suburban", "urban"))
full_year <- runif(n) < 0.6
days <- ifelse(full_year, 365, sample(30:364, n, replace = TRUE))
exposure <- round(days / 365, 4)
eta <- log(exposure) - 1.6 - 0.015 * (age - 45) + c(0, 0.25, 0.5)[as.integer(region)]
claims <- rnbinom(n, size = 1.5, mu = exp(eta))

d <- data.frame(age = as.integer(age), region = region, exposure = exposure,
                claims = as.integer(claims))
write.csv(d, "claims.csv", row.names = FALSE, quote = TRUE, na = "NA")

## What the data look like, read back from the CSV as a user would.
d <- read.csv("claims.csv", stringsAsFactors = FALSE)
d$region <- factor(d$region, levels = c("rural", "suburban", "urban"))
cat(sprintf("claims.csv: %d rows; %d claims in %.1f policy-years; %.1f%% zeros\n",
            nrow(d), sum(d$claims), sum(d$exposure), 100 * mean(d$claims == 0)))
pois <- glm(claims ~ age + region + offset(log(exposure)), family = poisson(), data = d)
suppressPackageStartupMessages(library(MASS))
nb <- glm.nb(claims ~ age + region + offset(log(exposure)), data = d)
cat(sprintf("poisson: deviance %.2f on %d df (Pearson X2 / df %.3f), AIC %.2f\n",
            deviance(pois), df.residual(pois),
            sum(residuals(pois, type = "pearson")^2) / df.residual(pois), AIC(pois)))
cat(sprintf("glm.nb: theta %.3f (SE %.3f), AIC %.2f; LR statistic vs Poisson %.2f\n",
            nb$theta, nb$SE.theta, AIC(nb), 2 * (logLik(nb) - logLik(pois))))
print(cbind(poisson = coef(pois), negbin = coef(nb)))
