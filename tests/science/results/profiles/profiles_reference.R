# Reference numbers for tests/science/test_profiles.py, from mclust (Debian's r-cran-mclust).
# Inputs (made by make_data.py): profiles_data.csv (240 simulated couples, 3 parameters) and
# rties_clo_estimates.csv (our coupled-oscillator estimates of the 79 usable rties example couples).
# Run from this folder:  Rscript profiles_reference.R      (writes profiles_reference.json)
#
# For every data set:
#  * "default": mclustBIC() with mclust's own initialisation (model-based hierarchical clustering),
#    EM run to a tight tolerance (tol 1e-10 instead of 1e-5, so that the maximum is pinned down);
#  * "best": the same BIC table from mclust's default start plus 30 random hierarchical starts
#    (hcRandomPairs(X, seed = s)), keeping per (model, G) the largest BIC: a multi-start mclust, the
#    fair comparison for our multi-start EM;
#  * the chosen fit (largest BIC of "best"), refitted with Mclust() from the start that attained it:
#    model, G, log-likelihood, proportions, means, covariances, posterior probabilities.
suppressPackageStartupMessages(library(mclust))

models <- c("EII", "VII", "EEI", "VEI", "EVI", "VVI", "EEE", "VVV")
G <- 1:9
ctrl <- emControl(tol = c(1e-10, sqrt(.Machine$double.eps)))
ctrl_tight <- emControl(tol = c(1e-14, sqrt(.Machine$double.eps)))
n_random <- 30

bic_matrix <- function(b) {
  m <- matrix(NA_real_, length(G), length(models), dimnames = list(G, models))
  u <- unclass(b)
  m[rownames(u), intersect(colnames(u), models)] <- u[, intersect(colnames(u), models)]
  m
}

reference <- function(file) {
  X <- as.matrix(read.csv(file, row.names = 1))
  starts <- c(list(NULL), lapply(seq_len(n_random), function(s) hcRandomPairs(X, seed = s)))
  tables <- lapply(starts, function(pairs) {
    init <- if (is.null(pairs)) list() else list(hcPairs = pairs)
    bic_matrix(mclustBIC(X, G = G, modelNames = models, control = ctrl, initialization = init))
  })
  # each start's initial partitions for G = 1..9 (what mclustBIC hands to me()): n x 9 per start
  default_pairs <- hc(X, modelName = mclust.options("hcModelName"), use = mclust.options("hcUse"))
  # (G = 1 is the whole sample; hcRandomPairs may stop one merge short of it)
  partitions <- lapply(starts, function(pairs) {
    unname(cbind(1, hclass(if (is.null(pairs)) default_pairs else pairs, G[-1])))
  })
  arr <- simplify2array(tables)  # G x models x starts
  best <- apply(arr, c(1, 2), function(v) if (all(is.na(v))) NA_real_ else max(v, na.rm = TRUE))
  # chosen: the largest BIC of the multi-start table (first in mclust's order on ties)
  k <- which(best == max(best, na.rm = TRUE), arr.ind = TRUE)[1, ]
  g <- G[k[1]]
  m <- models[k[2]]
  s <- which.max(arr[k[1], k[2], ])
  init <- if (s == 1) list() else list(hcPairs = starts[[s]])
  # refitted to tol 1e-14: at 1e-10 a flat likelihood still leaves the means loose in the 4th digit
  fit <- Mclust(X, G = g, modelNames = m, control = ctrl_tight, initialization = init)
  default_fit <- Mclust(X, G = G, modelNames = models, control = ctrl)
  sigma <- fit$parameters$variance$sigma  # d x d x G
  list(
    n = nrow(X),
    columns = colnames(X),
    models = models,
    G = G,
    bic_default = unname(tables[[1]]),      # mclustBIC(X, G, modelNames, control)
    bic_best = unname(best),
    bic_starts = lapply(tables, unname),    # one mclustBIC table per start (0: default, s: seed s)
    partitions = partitions,                # hclass(hcPairs, G) for each start                # max over starts of mclustBIC(..., initialization = list(hcPairs = hcRandomPairs(X, seed = s)))
    default_choice = list(model = default_fit$modelName, G = default_fit$G, bic = default_fit$bic),
    chosen = list(
      em_tol = ctrl_tight$tol[1],
      model = fit$modelName,                # Mclust(X, G = g, modelNames = m, ...)$modelName
      G = fit$G,
      start = s - 1,                        # 0: mclust's default start, s: hcRandomPairs(X, seed = s)
      bic = fit$bic,                        # fit$bic
      loglik = fit$loglik,                  # fit$loglik
      pro = fit$parameters$pro,             # fit$parameters$pro
      mean = unname(t(fit$parameters$mean)),  # t(fit$parameters$mean): G x d
      sigma = lapply(seq_len(fit$G), function(j) unname(sigma[, , j])),  # fit$parameters$variance$sigma[, , j]
      z = unname(fit$z)                     # fit$z: n x G
    )
  )
}

out <- list(
  r_version = R.version.string,
  mclust_version = as.character(packageVersion("mclust")),
  jsonlite_version = as.character(packageVersion("jsonlite")),
  em_tol = ctrl$tol,
  random_starts = n_random,
  simulated = reference("profiles_data.csv"),
  rties_clo = reference("rties_clo_estimates.csv")
)
jsonlite::write_json(out, "profiles_reference.json", digits = NA, auto_unbox = TRUE, na = "null", pretty = FALSE)
