# Reference numbers from the archived R package dyad 1.0 (Madhyastha & Hamaker; on CRAN 2009-2014,
# then archived), run on the data set it ships (data(couple), identical to
# ../shared/reference-data/gottman_couple.csv; the script checks that).
# dyad is not on Debian or current CRAN; it is pure R and installs from its public source tree:
#     R CMD INSTALL -l /tmp/Rlib <dyad source directory>
# Run from this folder:  DYAD_LIB=/tmp/Rlib Rscript influence_dyad.R <gottman_couple.csv>
# (writes influence_dyad.json). origmodel() is Gottman's original program ported to R: scores in
# [0, .6] count as neutral, all scores are rounded, both partners answer the other's previous turn.
suppressPackageStartupMessages(library(dyad, lib.loc = Sys.getenv("DYAD_LIB")))
args <- commandArgs(trailingOnly = TRUE)
d <- read.csv(args[1])
data(couple)
stopifnot(isTRUE(all.equal(unname(as.matrix(couple)), unname(as.matrix(d)))))
keep <- function(m) m[names(m) != "inf"]
out <- list(
  r_version = R.version.string,
  dyad_version = as.character(packageVersion("dyad", lib.loc = Sys.getenv("DYAD_LIB"))),
  bilinear = keep(origmodel(d, inf = "bilin")),   # origmodel(couple, inf = "bilin")
  ojive = keep(origmodel(d, inf = "ojive"))       # origmodel(couple, inf = "ojive")
)
jsonlite::write_json(out, "influence_dyad.json", digits = NA, auto_unbox = TRUE, na = "null")
