# Reference numbers for the Fieller interval of Kenny's k = p / a (tests/science/test_apim_k.py),
# from nlme::gls on apim_sim.csv (the same fits as apim_sim.R).
# Run from this folder:  Rscript k_fieller.R      (writes k_fieller.json)
suppressPackageStartupMessages(library(nlme))
d <- read.csv("apim_sim.csv")
d <- d[order(d$dyad, d$role), ]
d$role <- factor(d$role)
d$px <- ave(d$x, d$dyad, FUN = rev)
cc <- d[complete.cases(d[, c("y", "x", "px")]), ]
cs <- corCompSymm(form = ~ 1 | dyad)
q <- qnorm(0.975)
# Fieller: the k with (p - k a)^2 <= q^2 (v_pp - 2 k v_ap + k^2 v_aa), i.e. the roots of
# (a^2 - q^2 v_aa) k^2 - 2 (a p - q^2 v_ap) k + (p^2 - q^2 v_pp) = 0 when a^2 > q^2 v_aa
fieller <- function(m, a_name, p_name) {
  b <- coef(m); V <- vcov(m)
  a <- b[[a_name]]; p <- b[[p_name]]
  A <- a^2 - q^2 * V[a_name, a_name]
  B <- a * p - q^2 * V[a_name, p_name]
  C <- p^2 - q^2 * V[p_name, p_name]
  r <- sqrt(B^2 - A * C)
  list(k = p / a, low = (B - r) / A, high = (B + r) / A, a = a, p = p)
}
ind <- gls(y ~ x + px, data = cc, correlation = cs, method = "REML")
dis <- gls(y ~ 0 + role + role:x + role:px, data = cc, correlation = cs,
           weights = varIdent(form = ~ 1 | role), method = "REML")
out <- list(
  r_version = R.version.string,
  nlme_version = as.character(packageVersion("nlme")),
  indist_reml = fieller(ind, "x", "px"),
  dist_reml_F = fieller(dis, "roleF:x", "roleF:px"),
  dist_reml_M = fieller(dis, "roleM:x", "roleM:px")
)
jsonlite::write_json(out, "k_fieller.json", digits = NA, auto_unbox = TRUE)
