# Binomial fits with a factor response whose first levels are unused, or occur only in rows
# that are dropped for missing values (R drops unused levels after na.omit; the first level
# left is the failure). Run: Rscript generate.R > values.json
d <- data.frame(
  y = factor(c("b", "c", "b", "c", "c", "b", "a", "c", "b", "c"), levels = c("z", "a", "b", "c")),
  x = c(1, 2, 3, 4, 5, 6, NA, 8, 9, 2.5)
)
f1 <- glm(y ~ x, family = binomial, data = d)
d2 <- d; d2$y <- as.character(d2$y)   # strings: levels sorted, "a" only in the row with NA x
f2 <- glm(factor(y) ~ x, family = binomial, data = d2)
num <- function(v) paste(sprintf("%.17g", v), collapse = ", ")
cat("{\n")
cat(sprintf('  "R": "%s",\n', R.version.string))
cat(sprintf('  "categorical": {"coef": [%s], "deviance": %.17g},\n', num(coef(f1)), deviance(f1)))
cat(sprintf('  "string": {"coef": [%s], "deviance": %.17g}\n', num(coef(f2)), deviance(f2)))
cat("}\n")
