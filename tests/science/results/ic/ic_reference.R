# Reference numbers for the inertia-coordination model (rties::indivInertCoord's per-dyad lm),
# written with base R only. Input: ic_data.csv (long format: dyad, person, role 0/1, time, y),
# made by make_data.py. Output: ic_reference.json. Run from this folder: Rscript ic_reference.R
# Lags L = 1 and 2 look back: the predictor at time t is the value at time t - L (NA when that
# occasion is missing or has no row), which is DataCombine::slide(..., slideBy = -L) on complete rows.

d <- read.csv("ic_data.csv")

# per-person detrending: residuals of y ~ time on that person's observed values
d$y_dt <- NA_real_
for (p in unique(d$person)) {
  rows <- d$person == p
  d$y_dt[rows] <- resid(lm(y ~ time, data = d[rows, ], na.action = na.exclude))
}

full <- y_dt ~ -1 + dist0 + dist1 + dist0:lag_own + dist0:lag_partner + dist1:lag_own + dist1:lag_partner
inert <- y_dt ~ -1 + dist0 + dist1 + dist0:lag_own + dist1:lag_own
coord <- y_dt ~ -1 + dist0 + dist1 + dist0:lag_partner + dist1:lag_partner
d$dist0 <- as.numeric(d$role == 0)
d$dist1 <- as.numeric(d$role == 1)
key <- paste(d$dyad, d$role, d$time)

num <- function(x) sprintf("%.15g", x)
vec <- function(x) paste0("[", paste(num(x), collapse = ", "), "]")
blocks <- character()
for (L in c(1, 2)) {
  # own lag (same person, time - L) and partner lag (other role, time - L), matched on time
  d$lag_own <- d$y_dt[match(paste(d$dyad, d$role, d$time - L), key)]
  d$lag_partner <- d$y_dt[match(paste(d$dyad, 1 - d$role, d$time - L), key)]
  entries <- character()
  for (g in sort(unique(d$dyad))) {
    dg <- d[d$dyad == g, ]
    m_full <- lm(full, data = dg, na.action = na.exclude)
    m_inert <- lm(inert, data = dg, na.action = na.exclude)
    m_coord <- lm(coord, data = dg, na.action = na.exclude)
    # coefficient order: dist0, dist1, dist0:lag_own, dist0:lag_partner, dist1:lag_own, dist1:lag_partner
    entries <- c(entries, paste0(
      "      \"", g, "\": {\"coef\": ", vec(coef(m_full)),
      ", \"adj_r2\": ", num(summary(m_full)$adj.r.squared),
      ", \"adj_r2_inert\": ", num(summary(m_inert)$adj.r.squared),
      ", \"adj_r2_coord\": ", num(summary(m_coord)$adj.r.squared),
      ", \"n_obs\": ", nobs(m_full), "}"
    ))
  }
  blocks <- c(blocks, paste0("    \"", L, "\": {\n", paste(entries, collapse = ",\n"), "\n    }"))
}
writeLines(c(
  "{",
  paste0("  \"r_version\": \"", R.version.string, "\","),
  "  \"coef_order\": [\"int0\", \"int1\", \"inert0\", \"coord0\", \"inert1\", \"coord1\"],",
  "  \"lags\": {",
  paste(blocks, collapse = ",\n"),
  "  }",
  "}"
), "ic_reference.json")
