# Reference numbers for the coupled-oscillator model with GLLA derivatives (the per-dyad lm of
# rties::estDerivs / rties::indivClo), written with base R only. Input: clo_data.csv (long format:
# dyad, person, role 0/1, time, y), made by make_data.py. Output: clo_reference.json.
# Run from this folder: Rscript clo_reference.R

d <- read.csv("clo_data.csv")
taus <- c(4, 5)
embeds <- c(3, 4, 5)
delta <- 1
grid <- expand.grid(tau = taus, embed = embeds)  # tau varies fastest; ties go to the first row

# per-person detrending: residuals of y ~ time on that person's observed values
d$y_dt <- NA_real_
for (p in unique(d$person)) {
  rows <- d$person == p
  d$y_dt[rows] <- resid(lm(y ~ time, data = d[rows, ], na.action = na.exclude))
}

# GLLA weights W = L (L'L)^-1 with L = [1, (j - m) tau delta, ((j - m) tau delta)^2 / 2]
glla_w <- function(tau, embed, delta) {
  off <- (seq_len(embed) - (embed + 1) / 2) * tau * delta
  L <- cbind(1, off, off^2 / 2)
  L %*% solve(t(L) %*% L)
}
# time-delay embedding: row k is x[k], x[k + tau], ..., x[k + (embed - 1) tau]
embed_series <- function(x, tau, embed) {
  k <- seq_len(length(x) - (embed - 1) * tau)
  sapply(seq_len(embed), function(j) x[k + (j - 1) * tau])
}

num <- function(x) sprintf("%.15g", x)
vec <- function(x) paste0("[", paste(num(x), collapse = ", "), "]")
entries <- character()
for (g in sort(unique(d$dyad))) {
  a <- d[d$dyad == g & d$role == 0, c("time", "y_dt")]
  b <- d[d$dyad == g & d$role == 1, c("time", "y_dt")]
  ab <- merge(a, b, by = "time", suffixes = c("_0", "_1"))
  ab <- ab[complete.cases(ab), ]  # drop occasions where either partner is missing, then close up
  ab <- ab[order(ab$time), ]
  r2 <- numeric(nrow(grid))
  fits <- list()
  for (i in seq_len(nrow(grid))) {
    W <- glla_w(grid$tau[i], grid$embed[i], delta)
    d0 <- embed_series(ab$y_dt_0, grid$tau[i], grid$embed[i]) %*% W
    d1 <- embed_series(ab$y_dt_1, grid$tau[i], grid$embed[i]) %*% W
    n <- nrow(d0)
    dd <- data.frame(
      d2 = c(d0[, 3], d1[, 3]),
      obs = c(d0[, 1], d1[, 1]), d1 = c(d0[, 2], d1[, 2]),
      p_obs = c(d1[, 1], d0[, 1]), p_d1 = c(d1[, 2], d0[, 2]),
      dist0 = rep(c(1, 0), each = n), dist1 = rep(c(0, 1), each = n)
    )
    m <- lm(d2 ~ dist0:obs + dist0:d1 + dist0:p_obs + dist0:p_d1 +
              dist1:obs + dist1:d1 + dist1:p_obs + dist1:p_d1 - 1, data = dd)
    r2[i] <- summary(m)$adj.r.squared
    fits[[i]] <- m
  }
  best <- which(r2 == max(r2))[1]
  m <- fits[[best]]
  entries <- c(entries, paste0(
    "    \"", g, "\": {\"grid_adj_r2\": ", vec(r2),
    ", \"tau\": ", grid$tau[best], ", \"embed\": ", grid$embed[best],
    ", \"coef\": ", vec(coef(m)), ", \"adj_r2\": ", num(r2[best]),
    ", \"n_per_role\": ", nobs(m) / 2, "}"
  ))
}
# the weight matrices themselves, row-major (embed x 3), one per grid point
weights <- sapply(seq_len(nrow(grid)), function(i) vec(t(glla_w(grid$tau[i], grid$embed[i], delta))))
writeLines(c(
  "{",
  paste0("  \"glla_weights\": [", paste(weights, collapse = ", "), "],"),
  paste0("  \"r_version\": \"", R.version.string, "\","),
  "  \"grid\": [[4, 3], [5, 3], [4, 4], [5, 4], [4, 5], [5, 5]],",
  "  \"coef_order\": [\"obs_0\", \"d1_0\", \"p_obs_0\", \"p_d1_0\", \"obs_1\", \"d1_1\", \"p_obs_1\", \"p_d1_1\"],",
  "  \"dyads\": {",
  paste(entries, collapse = ",\n"),
  "  }",
  "}"
), "clo_reference.json")
