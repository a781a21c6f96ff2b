# Reference numbers for tests/science/test_reliability.py: Cronbach's alpha from its formula and
# McDonald's omega total from a one-factor ML model (stats::factanal), base R only.
# reliability_data.csv / reliability_keys.csv come from make_data.py (simulated answers).
# Run from this folder:  Rscript reliability_reference.R > reliability_reference.json
d <- read.csv("reliability_data.csv")
keys <- read.csv("reliability_keys.csv")

keyed <- function(scale) {
  k <- keys[keys$scale == scale, ]
  x <- as.matrix(d[, k$item])
  x[, k$sign < 0] <- 8 - x[, k$sign < 0]   # 7-point scale: reversed = 8 - answer
  x
}
alpha <- function(x) {
  k <- ncol(x)
  k / (k - 1) * (1 - sum(apply(x, 2, var)) / var(rowSums(x)))
}
fa1 <- function(x) factanal(covmat = cor(x), factors = 1)
omega <- function(f) {
  l <- f$loadings[, 1]
  sum(l)^2 / (sum(l)^2 + sum(f$uniquenesses))
}

num <- function(x) formatC(x, digits = 15, format = "g")
vec <- function(x) paste0("[", paste(num(x), collapse = ", "), "]")
scales <- unique(keys$scale)
parts <- sapply(scales, function(s) {
  x <- keyed(s)
  f <- fa1(x)
  r_drop <- sapply(seq_len(ncol(x)), function(i) cor(x[, i], rowSums(x[, -i, drop = FALSE])))
  a_drop <- sapply(seq_len(ncol(x)), function(i) alpha(x[, -i, drop = FALSE]))
  paste0(
    "\"", s, "\": {",
    "\"alpha\": ", num(alpha(x)), ", ",                    # alpha(x)
    "\"omega\": ", num(omega(f)), ", ",                    # omega(factanal(covmat = cor(x), factors = 1))
    "\"loadings\": ", vec(abs(f$loadings[, 1])), ", ",     # abs(factanal(...)$loadings[, 1])
    "\"uniquenesses\": ", vec(f$uniquenesses), ", ",       # factanal(...)$uniquenesses
    "\"sd\": ", num(sd(rowMeans(x))), ", ",                # sd(rowMeans(x))
    "\"r_drop\": ", vec(r_drop), ", ",                     # cor(x[, i], rowSums(x[, -i]))
    "\"alpha_drop\": ", vec(a_drop),                       # alpha(x[, -i])
    "}"
  )
})
cat("{\n", paste0("\"R\": \"", R.version.string, "\",\n"), paste(parts, collapse = ",\n"), "\n}\n", sep = "")
