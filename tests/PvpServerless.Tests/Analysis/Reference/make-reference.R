#!/usr/bin/env Rscript
# Reference values for the outcome analysis (docs/outcomes.md), computed by R exactly as those docs
# write each call. Writes cohorts/<name>.json (cohort export documents) and expected/<name>.json (the outcomes R
# computes for them, without the provenance fields). The tests read both; they do not need R.
#   apt-get install -y r-base-core r-cran-survival r-cran-jsonlite
#   cd tests/PvpServerless.Tests/Analysis/Reference && Rscript make-reference.R
suppressPackageStartupMessages({ library(survival); library(jsonlite) })

# ---- EQ-5D value sets (additive models; level 1 adds nothing) ------------------------------------------------------
value_sets <- list(
  "3L/DK" = c(FullHealth = 1, AtLeastOne2Or3 = -0.114, MO2 = -0.053, MO3 = -0.411, SC2 = -0.063, SC3 = -0.192,
              UA2 = -0.048, UA3 = -0.144, PD2 = -0.062, PD3 = -0.396, AD2 = -0.068, AD3 = -0.367),
  "3L/UK" = c(FullHealth = 1, AtLeastOne2Or3 = -0.081, AtLeastOne3 = -0.269, MO2 = -0.069, MO3 = -0.314, SC2 = -0.104,
              SC3 = -0.214, UA2 = -0.036, UA3 = -0.094, PD2 = -0.123, PD3 = -0.386, AD2 = -0.071, AD3 = -0.236),
  "5L/DK" = c(StartValue = 1, MO2 = -0.041, MO3 = -0.054, MO4 = -0.157, MO5 = -0.22, SC2 = -0.035, SC3 = -0.05,
              SC4 = -0.144, SC5 = -0.209, UA2 = -0.033, UA3 = -0.04, UA4 = -0.139, UA5 = -0.174, PD2 = -0.048,
              PD3 = -0.094, PD4 = -0.381, PD5 = -0.537, AD2 = -0.072, AD3 = -0.191, AD4 = -0.43, AD5 = -0.618),
  "5L/ENG" = c(StartValue = 1, MO2 = -0.058, MO3 = -0.076, MO4 = -0.207, MO5 = -0.274, SC2 = -0.05, SC3 = -0.08,
               SC4 = -0.164, SC5 = -0.203, UA2 = -0.05, UA3 = -0.063, UA4 = -0.162, UA5 = -0.184, PD2 = -0.063,
               PD3 = -0.084, PD4 = -0.276, PD5 = -0.335, AD2 = -0.078, AD3 = -0.104, AD4 = -0.285, AD5 = -0.289))

term <- function(vs, name) if (name %in% names(vs)) vs[[name]] else 0

eq5d_index <- function(eq, version, set) {
  if (is.null(eq)) return(NA_real_)
  lv <- c(eq$mobility, eq$selfCare, eq$usualActivities, eq$pain, eq$anxiety)
  if (length(lv) != 5 || any(is.na(lv))) return(NA_real_)
  vs <- value_sets[[paste0(version, "/", set)]]
  s <- if (version == "3L") term(vs, "FullHealth") else term(vs, "StartValue")
  for (i in 1:5) if (lv[i] > 1) s <- s + term(vs, paste0(c("MO", "SC", "UA", "PD", "AD")[i], lv[i]))
  if (version == "3L") {
    if (any(lv > 1)) s <- s + term(vs, "AtLeastOne2Or3")
    if (any(lv == 3)) s <- s + term(vs, "AtLeastOne3")
  }
  s
}

odi_score <- function(odi) {
  if (is.null(odi)) return(NA_real_)
  answered <- odi[!is.na(odi)]
  if (length(answered) < 8) NA_real_ else 100 * sum(answered) / (5 * length(answered))
}

# Calendar months, clamped to the month's last day (as .NET's AddMonths; R's seq() would overflow into the next month).
add_months <- function(d, k) {
  lt <- as.POSIXlt(d); m0 <- lt$year * 12 + lt$mon + k
  y <- m0 %/% 12 + 1900; m <- m0 %% 12 + 1
  first_next <- as.Date(sprintf("%04d-%02d-01", y + (m == 12), ifelse(m == 12, 1, m + 1)))
  last <- as.integer(format(first_next - 1, "%d"))
  as.Date(sprintf("%04d-%02d-%02d", y, m, min(lt$mday, last)))
}

num <- function(x) if (length(x) == 0 || is.null(x) || !is.finite(x)) NULL else unname(x)
pct <- function(n, of) if (of == 0) NULL else 100 * n / of
codes3 <- c("baseline", "3m", "1y")

# ---- the analysis, as docs/outcomes.md writes it --------------------------------------------------------------------
analyse <- function(doc, mcid_eq5d = 0.12, mcid_odi = 10) {
  cutoff <- as.Date(doc$cutoffDate); pts <- doc$patients; N <- length(pts)
  ver <- doc$eq5d$version; set <- doc$eq5d$valueSet
  proc <- as.Date(sapply(pts, function(p) p$procedureDate))
  death <- as.Date(sapply(pts, function(p) if (is.null(p$deathDate)) NA_character_ else p$deathDate))
  withdrawn <- as.Date(sapply(pts, function(p) if (is.null(p$withdrawnDate)) NA_character_ else p$withdrawnDate))
  death_day <- as.integer(death - proc)
  due_dates <- function(k) do.call(c, lapply(seq_along(proc), function(i) add_months(proc[i], k)))
  score <- function(p, wave, what) {
    for (r in p$responses) if (r$wave == wave) {
      return(switch(what,
        eq5dIndex = eq5d_index(r$eq5d, ver, set),
        eqVas = if (is.null(r$eq5d) || is.null(r$eq5d$vas) || is.na(r$eq5d$vas)) NA_real_ else r$eq5d$vas,
        odi = odi_score(r$odi),
        pain = if (is.null(r$odi)) NA_real_ else r$odi[1],
        any = 1))
    }
    NA_real_
  }
  S <- function(what, wave) sapply(pts, score, wave = wave, what = what)

  # Table 1
  ages <- sapply(pts, function(p) p$ageAtProcedure)
  levels <- do.call(rbind, lapply(pts, function(p) do.call(rbind, lapply(p$levels, function(l) data.frame(
    level = l$level, pwd = l$posteriorWallDefect, leak = if (is.null(l$cementLeakage)) NA else l$cementLeakage,
    sympt = isTRUE(l$leakageSymptomatic))))))
  mal <- table(sapply(pts, function(p) p$primaryMalignancy))
  mal <- data.frame(code = names(mal), n = as.integer(mal), stringsAsFactors = FALSE)
  mal <- mal[order(-mal$n, mal$code, method = "radix"), ]
  nlev <- sapply(pts, function(p) length(p$levels))
  region <- c(C = "cervical", T = "thoracic", L = "lumbar", S = "sacral")[substr(levels$level, 1, 1)]
  regions <- list()
  for (r in c("cervical", "thoracic", "lumbar", "sacral")) {
    n <- sum(region == r); if (n > 0) regions[[length(regions) + 1]] <- list(region = r, n = n, percent = pct(n, nrow(levels)))
  }
  assessed <- levels[!is.na(levels$leak), ]
  leaks <- sum(assessed$leak)
  ci <- if (nrow(assessed) == 0) NULL else 100 * prop.test(leaks, nrow(assessed), correct = FALSE)$conf.int
  leak_patients <- sum(sapply(pts, function(p) any(sapply(p$levels, function(l) isTRUE(l$cementLeakage)))))
  sympt <- sum(sapply(pts, function(p) sum(vapply(p$complications, function(c) c$symptomatic, logical(1))))) +
    sum(levels$sympt & levels$leak %in% TRUE)
  survival_rows <- lapply(list(c("3m", 91), c("1y", 365)), function(t) {
    day <- as.integer(t[2]); reached <- cutoff >= proc + day
    alive <- reached & (is.na(death_day) | death_day > day)
    list(timepoint = t[1], alive = sum(alive), of = sum(reached), percent = pct(sum(alive), sum(reached)))
  })
  table1 <- list(
    patients = N,
    age = list(mean = num(mean(ages)), sd = num(sd(ages)), min = num(min(ages)), max = num(max(ages))),
    male = list(n = sum(sapply(pts, function(p) p$sex == "M")), percent = pct(sum(sapply(pts, function(p) p$sex == "M")), N)),
    primaryMalignancy = lapply(seq_len(nrow(mal)), function(i) list(code = mal$code[i], n = mal$n[i], percent = pct(mal$n[i], N))),
    treatedLevels = list(single = list(n = sum(nlev == 1), percent = pct(sum(nlev == 1), N)),
                         multiple = list(n = sum(nlev >= 2), percent = pct(sum(nlev >= 2), N))),
    vertebrae = nrow(levels),
    regions = regions,
    posteriorWallDefects = list(n = sum(levels$pwd), of = nrow(levels), percent = pct(sum(levels$pwd), nrow(levels))),
    cementLeakage = list(n = leaks, of = nrow(assessed), percent = pct(leaks, nrow(assessed)), patients = leak_patients,
                         ci95 = if (is.null(ci)) NULL else list(lower = ci[1], upper = ci[2])),
    symptomaticComplications = sympt,
    survival = survival_rows)

  # Paired comparisons: t.test(followUp, baseline, paired = TRUE)
  comparisons <- list(); responders <- list()
  for (o in c("eq5dIndex", "eqVas", "odi")) for (w in c("3m", "1y")) {
    b <- S(o, "baseline"); f <- S(o, w); ok <- !is.na(b) & !is.na(f); b <- b[ok]; f <- f[ok]
    if (length(b) < 2) next
    tt <- tryCatch(t.test(f, b, paired = TRUE), error = function(e) NULL)
    d <- f - b
    comparisons[[length(comparisons) + 1]] <- list(
      outcome = o, from = "baseline", to = w, n = length(b),
      baseline = list(mean = num(mean(b)), sd = num(sd(b))),
      followUp = list(mean = num(mean(f)), sd = num(sd(f))),
      difference = list(mean = if (is.null(tt)) num(mean(d)) else num(tt$estimate), sd = num(sd(d)),
                        ci95 = if (is.null(tt) || any(!is.finite(tt$conf.int))) NULL else list(lower = tt$conf.int[1], upper = tt$conf.int[2])),
      t = if (is.null(tt)) NULL else num(tt$statistic), df = if (is.null(tt)) NULL else num(tt$parameter),
      p = if (is.null(tt)) NULL else num(tt$p.value))
    if (o != "eqVas") {
      mcid <- if (o == "odi") mcid_odi else mcid_eq5d
      change <- round(d, 6)
      improved <- if (o == "odi") sum(change <= -mcid) else sum(change >= mcid)
      responders[[length(responders) + 1]] <- list(outcome = o, to = w, n = length(b), mcid = mcid, improved = improved,
                                                   percent = pct(improved, length(b)))
    }
  }

  # Pain item (ODI section 1)
  pain <- list()
  for (w in c("3m", "1y")) {
    b <- S("pain", "baseline"); f <- S("pain", w); ok <- !is.na(b) & !is.na(f); b <- b[ok]; f <- f[ok]
    if (length(b) < 1) next
    bc <- tabulate(b + 1, 6); fc <- tabulate(f + 1, 6)
    m <- rbind(bc, fc); m <- m[, colSums(m) > 0, drop = FALSE]
    cs <- if (ncol(m) < 2) NULL else suppressWarnings(chisq.test(m, correct = FALSE))
    wx <- if (all(f - b == 0)) NULL else wilcox.test(f, b, paired = TRUE, exact = FALSE, correct = TRUE)
    pain[[length(pain) + 1]] <- list(
      to = w, n = length(b), baselineCounts = I(bc), followUpCounts = I(fc),
      baselineMedian = median(b), followUpMedian = median(f),
      chiSquared = if (is.null(cs)) NULL else list(statistic = unname(cs$statistic), df = unname(cs$parameter), p = cs$p.value),
      wilcoxon = if (is.null(wx)) NULL else list(statistic = unname(wx$statistic), p = wx$p.value))
  }

  # Leakage by posterior wall defect
  a <- assessed
  tab <- matrix(c(sum(a$pwd & a$leak), sum(!a$pwd & a$leak), sum(a$pwd & !a$leak), sum(!a$pwd & !a$leak)), 2)
  leakage <- list(table = list(I(tab[1, ]), I(tab[2, ])), fisherP = fisher.test(tab)$p.value)

  # Attrition (Welch) and follow-up rates
  attrition <- list(); followup <- list()
  base_idx <- S("eq5dIndex", "baseline")
  for (w in c("3m", "1y")) {
    due <- due_dates(if (w == "3m") 3 else 12)
    idx <- S("eq5dIndex", w); keep <- !is.na(base_idx) & due <= cutoff
    r <- base_idx[keep & !is.na(idx)]; nr <- base_idx[keep & is.na(idx)]
    p <- if (length(r) < 2 || length(nr) < 2) NULL else tryCatch(t.test(r, nr)$p.value, error = function(e) NULL)
    attrition[[length(attrition) + 1]] <- list(to = w, responders = list(n = length(r), mean = num(mean(r))),
      nonResponders = list(n = length(nr), mean = num(mean(nr))), difference = num(mean(r) - mean(nr)), p = num(p))
  }
  for (w in codes3) {
    due_date <- if (w == "baseline") proc else due_dates(if (w == "3m") 3 else 12)
    due <- due_date <= cutoff
    eligible <- due & (is.na(death) | !(death < due_date)) & (is.na(withdrawn) | !(withdrawn < due_date))
    responded <- eligible & !is.na(S("any", w))
    followup[[length(followup) + 1]] <- list(wave = w, due = sum(due), eligible = sum(eligible), responded = sum(responded),
                                             rate = if (sum(eligible) == 0) NULL else sum(responded) / sum(eligible))
  }

  # Kaplan-Meier: survfit(Surv(day, dead) ~ 1), summary at 91 and 365, median as print(fit)
  dead <- !is.na(death_day)
  day <- ifelse(dead, death_day, as.integer(cutoff - proc))
  fit <- survfit(Surv(day, dead) ~ 1)
  ev <- which(fit$n.event > 0)
  steps <- lapply(ev, function(i) list(day = fit$time[i], atRisk = fit$n.risk[i], events = fit$n.event[i],
    survival = fit$surv[i], lower = num(fit$lower[i]), upper = num(fit$upper[i])))
  at <- function(t) {
    # summary() refuses a time past the last observation ("no points selected"): no estimate there.
    s <- tryCatch(summary(fit, times = t), error = function(e) NULL)
    if (is.null(s)) return(NULL)
    if (length(s$time) == 0) NULL else list(survival = s$surv[1], lower = num(s$lower[1]), upper = num(s$upper[1]))
  }
  km <- list(n = N, events = sum(dead), steps = steps, at3m = at(91), at1y = at(365),
             medianDays = num(summary(fit)$table[["median"]]))

  list(schemaVersion = 1, cutoffDate = doc$cutoffDate, eq5d = list(version = ver, valueSet = set), table1 = table1,
       comparisons = comparisons, pain = pain, leakageByWallDefect = leakage, responders = responders,
       attrition = attrition, followUp = followup, kaplanMeier = km)
}

source("reference-cohorts.R")

dir.create("cohorts", showWarnings = FALSE); dir.create("expected", showWarnings = FALSE)
for (name in names(cohorts)) {
  doc <- cohorts[[name]]
  writeLines(toJSON(doc, auto_unbox = TRUE, null = "null", na = "null", digits = NA), file.path("cohorts", paste0(name, ".json")))
  out <- suppressWarnings(analyse(doc))
  writeLines(toJSON(out, auto_unbox = TRUE, null = "null", na = "null", digits = I(17), pretty = TRUE),
             file.path("expected", paste0(name, ".json")))
  cat(name, ": ", length(doc$patients), " patients\n", sep = "")
}
