# Reference numbers for tests/science/test_influence.py: the Gottman-Murray influence model written
# in base R straight from its equations (Gottman, Murray, Swanson, Tyson & Swanson 2002), independent
# of the Python code. See docs/science/influence.md for the equations.
# Run from this folder:  Rscript influence_reference.R <gottman_couple.csv>   (writes influence_reference.json)
# Inputs: the public Gottman couple (path given; only derived numbers are stored) and influence_sim.csv.
args <- commandArgs(trailingOnly = TRUE)

prepare <- function(v, neutral, round_scores) {
  if (!is.null(neutral)) v[v >= neutral[1] & v <= neutral[2]] <- 0
  if (round_scores) v <- round(v)
  v
}

# one partner: uninfluenced a, r by lm() on the turns with a neutral partner; influence points
partner_fit <- function(y, x_partner, same_turn, form, threshold) {
  n <- length(y)
  now <- y[-n]; nxt <- y[-1]
  x <- if (same_turn) x_partner[-1] else x_partner[-n]
  neutral <- x == 0
  m <- lm(nxt[neutral] ~ now[neutral])                 # lm(Y[t+1] ~ Y[t], subset: partner neutral)
  a <- unname(coef(m)[1]); r <- unname(coef(m)[2])
  infl <- nxt - a - r * now
  f <- if (form == "bilinear") {
    low <- x < threshold; high <- x >= threshold
    list(form = form, threshold = threshold,
         slope_low = unname(coef(lm(infl[low] ~ 0 + x[low]))),     # lm(I ~ 0 + x), x < threshold
         slope_high = unname(coef(lm(infl[high] ~ 0 + x[high]))))  # lm(I ~ 0 + x), x >= threshold
  } else {
    split <- function(xs, ys) {  # step at |x| <= c vs > c; c among observed |x| (not the largest)
      mags <- sort(unique(abs(xs)))
      cands <- if (length(mags) > 1) mags[-length(mags)] else mags
      sse <- sapply(cands, function(c) {
        near <- abs(xs) <= c
        sum((ys[near] - mean(ys[near]))^2) + if (any(!near)) sum((ys[!near] - mean(ys[!near]))^2) else 0
      })
      c <- cands[which(sse <= min(sse) + 1e-12 * (1 + abs(min(sse))))[1]]
      near <- abs(xs) <= c
      list(c = c, near = mean(ys[near]), far = if (any(!near)) mean(ys[!near]) else mean(ys[near]))
    }
    pos <- split(x[x > 0], infl[x > 0]); neg <- split(x[x < 0], infl[x < 0])
    list(form = form, C = pos$c, mild_positive = pos$near, strong_positive = pos$far,
         F = -neg$c, mild_negative = neg$near, strong_negative = neg$far)
  }
  list(a = a, r = r, n_neutral = sum(neutral), influence = f)
}

infl_fun <- function(f, x) {
  if (f$form == "bilinear") return(ifelse(x < f$threshold, f$slope_low * x, f$slope_high * x))
  ifelse(x < f$F, f$strong_negative, ifelse(x < 0, f$mild_negative, ifelse(x == 0, 0,
         ifelse(x <= f$C, f$mild_positive, f$strong_positive))))
}
# pieces: list(lo, hi, slope, level, point)
pieces <- function(f) {
  if (f$form == "bilinear") {
    return(list(list(lo = -Inf, hi = f$threshold, s = f$slope_low, l = 0, point = FALSE),
                list(lo = f$threshold, hi = Inf, s = f$slope_high, l = 0, point = FALSE)))
  }
  list(list(lo = -Inf, hi = f$F, s = 0, l = f$strong_negative, point = FALSE),
       list(lo = f$F, hi = 0, s = 0, l = f$mild_negative, point = FALSE),
       list(lo = 0, hi = 0, s = 0, l = 0, point = TRUE),
       list(lo = 0, hi = f$C, s = 0, l = f$mild_positive, point = FALSE),
       list(lo = f$C, hi = Inf, s = 0, l = f$strong_positive, point = FALSE))
}

# fixed points of y0 = a0 + r0 y0 + I0(y1), y1 = a1 + r1 y1 + I1(y0), and the spectral radius of
# one turn of the map (first = 0: partner 1 answers partner 0's new score; NA: previous turns)
steady <- function(p0, p1, first) {
  out <- list()
  for (p in pieces(p0$influence)) for (q in pieces(p1$influence)) {
    if (p$point) { y1 <- 0; y0 <- (p0$a + p$l) / (1 - p0$r) }
    else if (q$point) { y0 <- 0; y1 <- (p1$a + q$l) / (1 - p1$r) }
    else {
      M <- matrix(c(1 - p0$r, -q$s, -p$s, 1 - p1$r), 2)
      if (abs(det(M)) < 1e-12) next
      sol <- solve(M, c(p0$a + p$l, p1$a + q$l)); y0 <- sol[1]; y1 <- sol[2]
    }
    e0 <- p0$a + p0$r * y0 + infl_fun(p0$influence, y1) - y0
    e1 <- p1$a + p1$r * y1 + infl_fun(p1$influence, y0) - y1
    if (abs(e0) > 1e-8 * (1 + abs(y0)) || abs(e1) > 1e-8 * (1 + abs(y1))) next
    ok <- function(pc, v) if (pc$point) v == 0 else (v > pc$lo || (pc$lo == -Inf)) && v < pc$hi + 1e-12
    if (!(ok(p, y1) && ok(q, y0))) next
    J <- if (is.na(first)) matrix(c(p0$r, q$s, p$s, p1$r), 2)
         else if (first == 0) matrix(c(p0$r, q$s * p0$r, p$s, p1$r + q$s * p$s), 2)
         else matrix(c(p0$r + p$s * q$s, q$s, p$s * p1$r, p1$r), 2)
    rho <- max(Mod(eigen(J)$values))
    out[[length(out) + 1]] <- list(values = c(y0, y1), spectral_radius = rho, stable = rho < 1)
  }
  out
}

run <- function(d, first, form, neutral = NULL, round_scores = FALSE, threshold = 0) {
  w <- prepare(d[[1]], neutral, round_scores); h <- prepare(d[[2]], neutral, round_scores)
  f0 <- partner_fit(w, h, same_turn = identical(first, 1), form, threshold)
  f1 <- partner_fit(h, w, same_turn = identical(first, 0), form, threshold)
  list(first = if (is.na(first)) NULL else first, form = form, neutral = neutral,
       round_scores = round_scores, partner0 = f0, partner1 = f1,
       steady_states = steady(f0, f1, first))
}

g <- read.csv(args[1])
s <- read.csv("influence_sim.csv")
out <- list(
  r_version = R.version.string,
  jsonlite_version = as.character(packageVersion("jsonlite")),
  cases = list(
    gottman_wife_first_bilinear = run(g, 0, "bilinear", c(0, 0.6)),
    gottman_wife_first_ojive = run(g, 0, "ojive", c(0, 0.6)),
    gottman_husband_first_bilinear = run(g, 1, "bilinear", c(0, 0.6)),
    gottman_previous_turn_rounded = run(g, NA, "bilinear", c(0, 0.6), TRUE),
    gottman_threshold_bilinear = run(g, 0, "bilinear", c(0, 0.6), FALSE, -1),
    simulated_wife_first = run(s, 0, "bilinear"),
    simulated_wife_first_ojive = run(s, 0, "ojive")
  )
)
jsonlite::write_json(out, "influence_reference.json", digits = NA, auto_unbox = TRUE, na = "null")
