# Reference EQ-5D indices for the tests, computed from the published coefficients typed in below (not read from
# shared/Questionnaires/Data/value-sets.csv, so a wrong number there is caught). Debian has no r-cran-eq5d, so the
# models are written out here. Run: Rscript eq5d-index.R  (writes the two CSV files beside this script).
#   3L: 1 - constant (any level > 1) - N3 (any level = 3, UK only) - dimension terms          (Dolan 1997; Wittrup-Jensen 2009)
#   5L: 1 - dimension terms                                                                    (Devlin 2018; Jensen 2021)

# Decrements (positive numbers are subtracted), by dimension MO SC UA PD AD, columns = levels 2..L.
dk3 <- list(constant = 0.114, n3 = 0, m = rbind(
  MO = c(0.053, 0.411), SC = c(0.063, 0.192), UA = c(0.048, 0.144), PD = c(0.062, 0.396), AD = c(0.068, 0.367)))
uk3 <- list(constant = 0.081, n3 = 0.269, m = rbind(
  MO = c(0.069, 0.314), SC = c(0.104, 0.214), UA = c(0.036, 0.094), PD = c(0.123, 0.386), AD = c(0.071, 0.236)))
dk5 <- rbind(
  MO = c(0.041, 0.054, 0.157, 0.220), SC = c(0.035, 0.050, 0.144, 0.209), UA = c(0.033, 0.040, 0.139, 0.174),
  PD = c(0.048, 0.094, 0.381, 0.537), AD = c(0.072, 0.191, 0.430, 0.618))
eng5 <- rbind(
  MO = c(0.058, 0.076, 0.207, 0.274), SC = c(0.050, 0.080, 0.164, 0.203), UA = c(0.050, 0.063, 0.162, 0.184),
  PD = c(0.063, 0.084, 0.276, 0.335), AD = c(0.078, 0.104, 0.285, 0.289))

levels_of <- function(state) as.integer(strsplit(state, "")[[1]])

dims <- function(lv, m) sum(vapply(1:5, function(d) if (lv[d] > 1) m[d, lv[d] - 1] else 0, numeric(1)))

index3 <- function(state, vs) {
  lv <- levels_of(state)
  1 - (if (any(lv > 1)) vs$constant else 0) - (if (any(lv == 3)) vs$n3 else 0) - dims(lv, vs$m)
}
index5 <- function(state, m) 1 - dims(levels_of(state), m)

all_states <- function(L) {
  g <- expand.grid(AD = 1:L, PD = 1:L, UA = 1:L, SC = 1:L, MO = 1:L)
  sprintf("%d%d%d%d%d", g$MO, g$SC, g$UA, g$PD, g$AD)
}

here <- local({
  a <- commandArgs(trailingOnly = FALSE)
  f <- sub("^--file=", "", a[grep("^--file=", a)])
  if (length(f) == 1) dirname(normalizePath(f)) else getwd()
})
fmt <- function(x) sprintf("%.17g", x)

s3 <- all_states(3)
write.csv(data.frame(state = s3, DK = fmt(sapply(s3, index3, vs = dk3)), UK = fmt(sapply(s3, index3, vs = uk3))),
          file.path(here, "eq5d-3l-index.csv"), row.names = FALSE, quote = FALSE)

# Every 5L state (3125): includes all 25 single-dimension states, the uniform states and the worst state.
s5 <- all_states(5)
write.csv(data.frame(state = s5, DK = fmt(sapply(s5, index5, m = dk5)), ENG = fmt(sapply(s5, index5, m = eng5))),
          file.path(here, "eq5d-5l-index.csv"), row.names = FALSE, quote = FALSE)

cat(sprintf("3L: %d states, DK 33333 = %.3f, UK 33333 = %.3f; 5L: %d states, DK 55555 = %.3f, ENG 55555 = %.3f\n",
            length(s3), index3("33333", dk3), index3("33333", uk3), length(s5), index5("55555", dk5), index5("55555", eng5)))
