# Reference numbers for the Acitelli tests in tests/science/test_apim.py, from nlme::gls.
# The data are public and not copied into the project: pass the path of acipair.csv, by default
# ../shared/reference-data/acipair.csv next to the project.
# Run from this folder:  Rscript acitelli.R [path/to/acipair.csv] > acitelli.json
suppressPackageStartupMessages(library(nlme))

args <- commandArgs(trailingOnly = TRUE)
path <- if (length(args)) args[1] else "../../../../../shared/reference-data/acipair.csv"
d <- read.csv(path)
d$Gender_A <- factor(d$Gender_A)
d <- d[order(d$CoupleID, d$Gender_A), ]  # varIdent's reference is the first row's role: Husband

cs <- corCompSymm(form = ~ 1 | CoupleID)
vi <- varIdent(form = ~ 1 | Gender_A)
fits <- list(
  tension_dist_reml = gls(Satisfaction_A ~ 0 + Gender_A + Gender_A:Tension_A + Gender_A:SelfPos_P,
                          data = d, correlation = cs, weights = vi, method = "REML"),
  otherpos_indist_reml = gls(Satisfaction_A ~ OtherPos_A + OtherPos_P, data = d, correlation = cs,
                             method = "REML"),
  otherpos_dist_reml = gls(Satisfaction_A ~ 0 + Gender_A + Gender_A:OtherPos_A + Gender_A:OtherPos_P,
                           data = d, correlation = cs, weights = vi, method = "REML"),
  otherpos_indist_ml = gls(Satisfaction_A ~ OtherPos_A + OtherPos_P, data = d, correlation = cs,
                           method = "ML"),
  otherpos_dist_ml = gls(Satisfaction_A ~ 0 + Gender_A + Gender_A:OtherPos_A + Gender_A:OtherPos_P,
                         data = d, correlation = cs, weights = vi, method = "ML")
)

num <- function(x) formatC(x, digits = 15, format = "g")
vec <- function(x) paste0("[", paste(num(x), collapse = ", "), "]")
describe <- function(m) {
  delta <- if (is.null(m$modelStruct$varStruct)) 1 else coef(m$modelStruct$varStruct, unconstrained = FALSE)
  paste0(
    "{\"coef_names\": [", paste0("\"", names(coef(m)), "\"", collapse = ", "), "], ",
    "\"coef\": ", vec(coef(m)), ", ",                                          # coef(m)
    "\"se\": ", vec(sqrt(diag(vcov(m)))), ", ",                                # sqrt(diag(vcov(m)))
    "\"rho\": ", num(coef(m$modelStruct$corStruct, unconstrained = FALSE)), ", ",
    "\"sigma\": ", num(m$sigma), ", ",                                         # m$sigma
    "\"delta\": ", num(delta), ", ",                                           # varIdent ratio (Wife / Husband)
    "\"loglik\": ", num(as.numeric(logLik(m))), "}"                            # logLik(m)
  )
}
lr <- anova(fits$otherpos_indist_ml, fits$otherpos_dist_ml)
cat("{\n")
cat("  \"nlme_version\": \"", as.character(packageVersion("nlme")), "\",\n", sep = "")
cat("  \"varident_reference\": \"", as.character(d$Gender_A[1]), "\",\n", sep = "")
for (nm in names(fits)) cat("  \"", nm, "\": ", describe(fits[[nm]]), ",\n", sep = "")
cat("  \"otherpos_lr_test\": {\"chi2\": ", num(lr$L.Ratio[2]), ", \"df\": ", lr$df[2] - lr$df[1],
    ", \"p_value\": ", num(lr$`p-value`[2]), "}\n", sep = "")
cat("}\n")
