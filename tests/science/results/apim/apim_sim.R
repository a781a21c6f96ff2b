# Reference numbers for tests/science/test_apim.py, from nlme::gls on apim_sim.csv.
# apim_sim.csv was made by counterpoint.science.apim.simulate_apim (see test_apim.py for the call),
# with three outcomes and one predictor set to missing.
# Run from this folder:  Rscript apim_sim.R > apim_sim.json
suppressPackageStartupMessages(library(nlme))

d <- read.csv("apim_sim.csv")
d <- d[order(d$dyad, d$role), ]
d$role <- factor(d$role)
d$px <- ave(d$x, d$dyad, FUN = rev)  # partner's x (two rows per dyad, sorted by role)
cc <- d[complete.cases(d[, c("y", "x", "px")]), ]  # rows the full model uses

cs <- corCompSymm(form = ~ 1 | dyad)
vi <- varIdent(form = ~ 1 | role)
fits <- list(
  indist_reml = gls(y ~ x + px, data = cc, correlation = cs, method = "REML"),
  indist_ml = gls(y ~ x + px, data = cc, correlation = cs, method = "ML"),
  dist_reml = gls(y ~ 0 + role + role:x + role:px, data = cc, correlation = cs, weights = vi, method = "REML"),
  dist_ml = gls(y ~ 0 + role + role:x + role:px, data = cc, correlation = cs, weights = vi, method = "ML"),
  indist_empty_reml = gls(y ~ 1, data = cc, correlation = cs, method = "REML"),
  dist_empty_reml = gls(y ~ 0 + role, data = cc, correlation = cs, weights = vi, method = "REML")
)

num <- function(x) formatC(x, digits = 15, format = "g")
vec <- function(x) paste0("[", paste(num(x), collapse = ", "), "]")
describe <- function(m) {
  ci <- intervals(m, which = "var-cov")
  rho <- coef(m$modelStruct$corStruct, unconstrained = FALSE)
  delta <- if (is.null(m$modelStruct$varStruct)) 1 else coef(m$modelStruct$varStruct, unconstrained = FALSE)
  paste0(
    "{",
    "\"coef_names\": [", paste0("\"", names(coef(m)), "\"", collapse = ", "), "], ",
    "\"coef\": ", vec(coef(m)), ", ",                          # coef(m)
    "\"se\": ", vec(sqrt(diag(vcov(m)))), ", ",                # sqrt(diag(vcov(m)))
    "\"rho\": ", num(rho), ", ",                               # coef(m$modelStruct$corStruct, unconstrained = FALSE)
    "\"rho_ci\": ", vec(ci$corStruct[1, c(1, 3)]), ", ",       # intervals(m)$corStruct
    "\"sigma\": ", num(m$sigma), ", ",                         # m$sigma
    "\"sigma_ci\": ", vec(ci$sigma[c(1, 3)]), ", ",            # intervals(m)$sigma
    "\"delta\": ", num(delta), ", ",                           # coef(m$modelStruct$varStruct, unconstrained = FALSE)
    "\"loglik\": ", num(as.numeric(logLik(m))), ", ",          # logLik(m)
    "\"aic\": ", num(AIC(m)), ", ",                            # AIC(m)
    "\"bic\": ", num(BIC(m)), ", ",                            # BIC(m)
    "\"n\": ", nrow(cc),
    "}"
  )
}
lr <- anova(fits$indist_ml, fits$dist_ml)
cat("{\n")
cat("  \"nlme_version\": \"", as.character(packageVersion("nlme")), "\",\n", sep = "")
cat("  \"varident_reference\": \"", levels(factor(cc$role))[1], "\",\n", sep = "")
for (nm in names(fits)) cat("  \"", nm, "\": ", describe(fits[[nm]]), ",\n", sep = "")
cat("  \"lr_test\": {\"chi2\": ", num(lr$L.Ratio[2]), ", \"df\": ", lr$df[2] - lr$df[1],
    ", \"p_value\": ", num(lr$`p-value`[2]), "}\n", sep = "")
cat("}\n")
