# Reference results for counterpoint.science.couple_var.CoupleVAR (SCIENCE.md model 5).
# Input: couple_var_data.csv (written by make_data.py). Output: couple_var_reference.json.
# Run from the repository root: Rscript tests/science/results/couple_var/couple_var_reference.R
# Per couple and role, lm(y ~ lag_own + lag_partner) on the couple's usable occasions: both partners
# have a value now and at the previous occasion of the same day. Lags are built here, independently of
# the Python code, and centred on the mean of all the person's observed values.
here <- "tests/science/results/couple_var"
d <- read.csv(file.path(here, "couple_var_data.csv"))

key <- paste(d$person, d$day, d$time)
partner_of <- ave(d$person, d$dyad, FUN = function(p) sum(unique(p)) - p)
mean_by_person <- tapply(d$y, d$person, mean, na.rm = TRUE)
d$lag_own <- d$y[match(paste(d$person, d$day, d$time - 1), key)] -
  as.numeric(mean_by_person[as.character(d$person)])
d$lag_partner <- d$y[match(paste(partner_of, d$day, d$time - 1), key)] -
  as.numeric(mean_by_person[as.character(partner_of)])
ok <- complete.cases(d[, c("y", "lag_own", "lag_partner")])
d <- d[ok, ]
# usable occasion: both partners' rows are complete
both <- ave(rep(1, nrow(d)), d$dyad, d$time, FUN = length) == 2
d <- d[both, ]

num <- function(x) if (length(x) == 0 || is.na(x)) "null" else formatC(x, digits = 15, format = "g")
entries <- c()
for (k in sort(unique(d$dyad))) {
  if (k > 40) next  # couples 41-43 are degenerate on purpose; the tests check their reasons
  dk <- d[d$dyad == k, ]
  fits <- lapply(0:1, function(g) lm(y ~ lag_own + lag_partner, data = dk[dk$role == g, ]))
  fields <- c(sprintf('"n_occasions": %d', nrow(dk) / 2))
  for (g in 0:1) {
    m <- fits[[g + 1]]
    dg <- dk[dk$role == g, ]
    b <- coef(m); se <- sqrt(diag(vcov(m))); ci <- confint(m)
    names_r <- c("(Intercept)" = "intercept", "lag_own" = "actor", "lag_partner" = "partner")
    for (term in names(names_r)) {
      nm <- paste0(names_r[[term]], "@", g)
      fields <- c(fields,
        sprintf('"%s": %s', nm, num(b[[term]])),                      # coef(m)
        sprintf('"se_%s": %s', nm, num(se[[term]])),                  # sqrt(diag(vcov(m)))
        sprintf('"ci_low_%s": %s', nm, num(ci[term, 1])),             # confint(m)
        sprintf('"ci_high_%s": %s', nm, num(ci[term, 2])))
    }
    # standardised: coefficient * sd(predictor) / sd(outcome) over the rows of the fit
    fields <- c(fields,
      sprintf('"std_actor@%d": %s', g, num(b[["lag_own"]] * sd(dg$lag_own) / sd(dg$y))),
      sprintf('"std_partner@%d": %s', g, num(b[["lag_partner"]] * sd(dg$lag_partner) / sd(dg$y))))
  }
  e0 <- resid(fits[[1]]); e1 <- resid(fits[[2]])
  t0 <- dk$time[dk$role == 0]; t1 <- dk$time[dk$role == 1]
  fields <- c(fields, sprintf('"resid_corr": %s', num(cor(e0, e1[match(t0, t1)]))))
  entries <- c(entries, sprintf('  "%d": {%s}', k, paste(fields, collapse = ", ")))
}
writeLines(c("{", paste(entries, collapse = ",\n"), "}"), file.path(here, "couple_var_reference.json"))
cat(R.version.string, "\n")
