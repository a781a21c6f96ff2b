# Reference results for counterpoint.science.mlvar.DyadicVAR (SCIENCE.md model 4).
# Input: var_data.csv (written by make_data.py). Output: var_reference.json.
# Run from the repository root: Rscript tests/science/results/var/var_reference.R
# R builds the lags itself, independently of the Python code, with the rules in SCIENCE.md:
# the lag of occasion t is the same person's value at occasion t-1 of the same day (NA when that
# occasion is absent or on another day); lags are centred on the mean of all the person's values.
library(nlme)
here <- "tests/science/results/var"
d <- read.csv(file.path(here, "var_data.csv"))

key <- paste(d$person, d$day, d$time)
person_mean <- ave(d$y, d$person, FUN = function(v) mean(v, na.rm = TRUE))
partner_of <- ave(d$person, d$dyad, FUN = function(p) sum(unique(p)) - p)  # the other person's id
prev_own <- match(paste(d$person, d$day, d$time - 1), key)
prev_partner <- match(paste(partner_of, d$day, d$time - 1), key)
mean_by_person <- tapply(d$y, d$person, mean, na.rm = TRUE)
d$lag_own <- d$y[prev_own] - person_mean
d$lag_partner <- d$y[prev_partner] - as.numeric(mean_by_person[as.character(partner_of)])
d$role0 <- as.numeric(d$role == 0)
d$role1 <- as.numeric(d$role == 1)
d$occasion <- d$time
d <- d[complete.cases(d[, c("y", "lag_own", "lag_partner")]), ]

m <- lme(
  y ~ -1 + role0 + role0:lag_own + role0:lag_partner + role1 + role1:lag_own + role1:lag_partner,
  random = ~ -1 + role0 + role1 | dyad,
  correlation = corCompSymm(form = ~ 1 | dyad/occasion),
  weights = varIdent(form = ~ 1 | role),
  method = "REML", data = d,
  control = lmeControl(maxIter = 500, msMaxIter = 500, niterEM = 100, msTol = 1e-12,
                       tolerance = 1e-10, returnObject = FALSE)
)
# R orders the interaction names as it likes ("lag_own:role1"); map both spellings to ours
ours <- c("role0" = "intercept@0", "role0:lag_own" = "actor@0", "role0:lag_partner" = "partner@0",
          "role1" = "intercept@1", "role1:lag_own" = "actor@1", "role1:lag_partner" = "partner@1",
          "lag_own:role0" = "actor@0", "lag_partner:role0" = "partner@0",
          "lag_own:role1" = "actor@1", "lag_partner:role1" = "partner@1")
fe <- fixef(m)
se <- sqrt(diag(vcov(m)))
ci <- intervals(m, which = "all")
delta <- coef(m$modelStruct$varStruct, unconstrained = FALSE, allCoef = TRUE)
re <- as.matrix(getVarCov(m))
out <- list(
  n_obs = nrow(d),
  n_dyads = length(unique(d$dyad)),
  fixef = as.list(setNames(unname(fe), ours[names(fe)])),
  se = as.list(setNames(unname(se), ours[names(se)])),
  df = as.list(setNames(unname(m$fixDF$X), ours[names(m$fixDF$X)])),
  fixed_lower = as.list(setNames(unname(ci$fixed[, "lower"]), ours[rownames(ci$fixed)])),
  fixed_upper = as.list(setNames(unname(ci$fixed[, "upper"]), ours[rownames(ci$fixed)])),
  rho = unname(coef(m$modelStruct$corStruct, unconstrained = FALSE)),
  rho_ci = unname(ci$corStruct[1, c("lower", "upper")]),
  sigma = m$sigma,
  sigma_ci = unname(ci$sigma[c("lower", "upper")]),
  delta = as.list(delta),
  sigma_by_role = as.list(m$sigma * delta),
  re_sd = unname(sqrt(diag(re))),
  re_corr = unname(re[1, 2] / sqrt(re[1, 1] * re[2, 2])),
  re_sd_ci = list(unname(unlist(ci$reStruct$dyad["sd(role0)", c("lower", "upper")])),
                  unname(unlist(ci$reStruct$dyad["sd(role1)", c("lower", "upper")]))),
  re_corr_ci = unname(unlist(ci$reStruct$dyad["cor(role0,role1)", c("lower", "upper")])),
  delta_ci = unname(ci$varStruct[1, c("lower", "upper")]),
  logLik = as.numeric(logLik(m)),
  logdet_xtx_half = 0.5 * as.numeric(determinant(crossprod(model.matrix(formula(m), d)))$modulus),
  R = R.version.string,
  nlme = as.character(packageVersion("nlme"))
)
to_json <- function(x, indent = "") {
  if (is.list(x)) {
    nm <- names(x)
    inner <- paste0(indent, "  ")
    if (is.null(nm)) {
      items <- vapply(x, to_json, "", indent = inner)
      return(paste0("[", paste(items, collapse = ", "), "]"))
    }
    items <- vapply(seq_along(x), function(i) paste0(inner, '"', nm[i], '": ', to_json(x[[i]], inner)), "")
    return(paste0("{\n", paste(items, collapse = ",\n"), "\n", indent, "}"))
  }
  if (is.character(x)) {
    if (length(x) == 1) return(paste0('"', x, '"'))
    return(paste0("[", paste0('"', x, '"', collapse = ", "), "]"))
  }
  v <- formatC(x, digits = 15, format = "g")
  if (length(x) == 1) return(v)
  paste0("[", paste(v, collapse = ", "), "]")
}
writeLines(to_json(out), file.path(here, "var_reference.json"))
print(summary(m))
print(ci)
