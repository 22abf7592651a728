# The reference cohorts of make-reference.R: random cohorts of several sizes, shapes and value sets, and hand-built
# edge cases. Sourced by make-reference.R; defines `cohorts` (name -> cohort document as an R list).

malignancies <- c("multipleMyeloma", "lung", "chronicLymphocyticLeukaemia", "lymphoma", "gastric", "prostate", "colon",
                  "ovary", "breast", "kidney", "other")
spine <- c(paste0("T", 1:12), paste0("L", 1:5), "C7", "S1")
fmt <- function(d) format(d, "%Y-%m-%d")
instant <- function(d, h = 10) sprintf("%sT%02d:%02d:00Z", fmt(d), h, sample(0:59, 1))

eq5d_answer <- function(max_level, p_missing = 0.05) {
  lv <- sample(1:max_level, 5, replace = TRUE, prob = rev(seq_len(max_level)) + 1)
  lv[runif(5) < p_missing] <- NA
  vas <- if (runif(1) < 0.1) NA else sample(0:100, 1)
  list(mobility = lv[1], selfCare = lv[2], usualActivities = lv[3], pain = lv[4], anxiety = lv[5], vas = vas)
}

odi_answer <- function(p_missing = 0.08) {
  s <- sample(0:5, 10, replace = TRUE)
  s[runif(10) < p_missing] <- NA
  s
}

response <- function(wave, when, max_level) {
  list(wave = wave, completedAt = instant(when),
       eq5d = if (runif(1) < 0.08) NULL else eq5d_answer(max_level),
       odi = if (runif(1) < 0.08) NULL else odi_answer())
}

random_cohort <- function(seed, n, version = "3L", set = "DK", cutoff = "2018-03-01", p_death = 0.4, p_answer = 0.7) {
  set.seed(seed)
  cut <- as.Date(cutoff); max_level <- if (version == "3L") 3 else 5
  patients <- lapply(seq_len(n), function(i) {
    proc <- cut - sample(0:1500, 1)
    follow <- as.integer(cut - proc)
    death <- if (runif(1) < p_death) proc + sample(0:follow, 1) else NA
    withdrawn <- if (is.na(death) && runif(1) < 0.05) proc + sample(0:follow, 1) else NA
    k <- sample(1:4, 1, prob = c(0.25, 0.35, 0.25, 0.15))
    levels <- lapply(sample(spine, k), function(l) {
      leak <- if (runif(1) < 0.1) NA else runif(1) < 0.18
      lv <- list(level = l, posteriorWallDefect = runif(1) < 0.3, cementLeakage = leak)
      if (isTRUE(leak) && runif(1) < 0.2) lv$leakageSymptomatic <- runif(1) < 0.3
      lv
    })
    complications <- if (runif(1) < 0.1) list(list(type = "pulmonaryEmbolism", symptomatic = runif(1) < 0.5)) else list()
    end <- min(cut, if (is.na(death)) cut else death, if (is.na(withdrawn)) cut else withdrawn)
    responses <- list()
    if (runif(1) < 0.9) responses[[1]] <- response("baseline", proc - sample(0:3, 1), max_level)
    for (w in list(list("3m", 3), list("1y", 12))) {
      due <- add_months(proc, w[[2]])
      when <- due + sample(0:20, 1)
      if (when <= end && runif(1) < p_answer) responses[[length(responses) + 1]] <- response(w[[1]], when, max_level)
    }
    list(studyId = sprintf("PVP-%04d", i), sex = sample(c("M", "F"), 1), ageAtProcedure = sample(40:92, 1),
         primaryMalignancy = sample(malignancies, 1, prob = c(10, 6, 4, 3, 1, 2, 1, 1, 3, 2, 1)),
         diagnosisBasis = sample(c("histology", "boneMarrowBiopsy", "mri"), 1),
         procedureDate = fmt(proc), levels = levels, complications = complications,
         deathDate = if (is.na(death)) NULL else fmt(death), withdrawnDate = if (is.na(withdrawn)) NULL else fmt(withdrawn),
         responses = responses)
  })
  list(schemaVersion = 1, cutoffDate = cutoff, eq5d = list(version = version, valueSet = set), patients = patients)
}

# A hand-built patient: responses given as list(wave, date, eq5d levels (5) + vas, odi (10)).
patient <- function(i, proc, death = NULL, responses = list(), levels = list(list(level = "L1", posteriorWallDefect = FALSE, cementLeakage = FALSE)),
                    sex = "F", age = 70, malignancy = "lung", withdrawn = NULL) {
  list(studyId = sprintf("EDGE-%02d", i), sex = sex, ageAtProcedure = age, primaryMalignancy = malignancy,
       diagnosisBasis = "mri", procedureDate = proc, levels = levels, complications = list(),
       deathDate = death, withdrawnDate = withdrawn,
       responses = lapply(responses, function(r) list(wave = r[[1]], completedAt = paste0(r[[2]], "T09:30:00Z"),
         eq5d = if (is.null(r[[3]])) NULL else list(mobility = r[[3]][1], selfCare = r[[3]][2], usualActivities = r[[3]][3],
                                                   pain = r[[3]][4], anxiety = r[[3]][5], vas = r[[3]][6]),
         odi = r[[4]])))
}
doc <- function(patients, version = "3L", set = "DK", cutoff = "2018-03-01")
  list(schemaVersion = 1, cutoffDate = cutoff, eq5d = list(version = version, valueSet = set), patients = patients)

odi_const <- c(3, 2, 2, 3, 2, 2, 3, 2, 2, 3)

cohorts <- list(
  # Random cohorts: several sizes, value sets, death rates.
  "random-3l-dk-60" = random_cohort(11, 60),
  "random-3l-uk-25" = random_cohort(12, 25, set = "UK", p_death = 0.6),
  "random-5l-eng-150" = random_cohort(13, 150, version = "5L", set = "ENG", p_death = 0.3),
  "random-5l-dk-12" = random_cohort(14, 12, version = "5L", set = "DK", p_answer = 0.9),
  "random-3l-dk-400" = random_cohort(15, 400, p_death = 0.5, p_answer = 0.5),

  # One pair at 3m (no comparison row, a pain row with n = 1), no 1y response at all (no pairs), all censored.
  "edge-one-pair" = doc(list(
    patient(1, "2017-01-10", responses = list(list("baseline", "2017-01-09", c(2, 2, 3, 2, 1, 40), c(3, 2, 2, 1, 0, 2, 3, 1, 2, 1)),
                                                list("3m", "2017-04-12", c(1, 1, 2, 1, 1, 70), c(1, 1, 1, 1, 0, 1, 1, 0, 1, 1)))),
    patient(2, "2017-02-01", responses = list(list("baseline", "2017-02-01", c(3, 3, 3, 3, 3, 10), NULL))),
    patient(3, "2017-06-15", responses = list(list("3m", "2017-09-20", c(1, 2, 2, 2, 1, 55), odi_const))),
    patient(4, "2016-11-30"))),

  # Constant values: identical states (zero variance), a constant non-zero VAS change (essentially constant), zero
  # ODI and pain changes (every difference 0); survival falls to exactly 0.5 and drops later (median = midpoint).
  "edge-constant" = doc(lapply(1:6, function(i) patient(i, "2016-01-05",
    death = c("2016-01-15", "2016-01-25", "2016-02-04", NA, "2016-02-24", NA)[i] |> (\(d) if (is.na(d)) NULL else d)(),
    responses = list(list("baseline", "2016-01-04", c(2, 2, 2, 2, 2, 30 + i), odi_const),
                     list("3m", "2016-04-06", c(2, 2, 2, 2, 2, 45 + i), odi_const)) [if (i %in% c(4, 6)) 1:2 else 1]))),

  # Survival reaches exactly 0.5 and stays there (median = that day); every vertebra has a wall defect.
  "edge-half-flat" = doc(list(
    patient(1, "2017-01-01", death = "2017-01-11", levels = list(list(level = "T8", posteriorWallDefect = TRUE, cementLeakage = TRUE))),
    patient(2, "2017-01-01", death = "2017-01-21"),
    patient(3, "2017-01-01"), patient(4, "2017-01-01")), cutoff = "2017-06-30"),

  # Everyone dies (survival reaches 0: no interval there), ties in death days, 5L.
  "edge-all-dead" = doc(lapply(1:7, function(i) patient(i, "2015-03-01",
    death = fmt(as.Date("2015-03-01") + c(5, 40, 40, 100, 200, 200, 400)[i]),
    responses = list(list("baseline", "2015-02-28", c(1 + i %% 5, 2, 3, 4, 5, 20 + 5 * i), c(i %% 6, 1, 2, 3, 4, 5, 0, 1, NA, 2))))),
    version = "5L", set = "ENG"),

  # Ties and zero differences in the pain item and the ODI, deaths so the median exists, a withdrawal.
  "edge-ties" = doc(lapply(1:12, function(i) patient(i, fmt(as.Date("2016-02-29") + 30 * (i %% 3)),
    death = if (i %% 4 == 0) fmt(as.Date("2016-02-29") + 50 * i) else NULL,
    withdrawn = if (i == 5) "2016-06-01" else NULL,
    responses = list(list("baseline", "2016-02-20", c(2, 1 + i %% 3, 2, 3, 1, 50), c(3 + (i %% 2), 2, 2, 3, 2, 1, 3, 2, 2, 3)),
                     list("3m", "2016-07-01", c(1, 1 + i %% 2, 2, 2, 1, 60), c(2 + (i %% 3 == 0), 2, 1, 3, 2, 1, 3, 2, 1, 3)),
                     list("1y", "2017-03-15", c(1, 1, 1, 2, 1, 65), c(3 + (i %% 2), 1, 1, 2, 2, 1, 2, 2, 1, NA)))[
                       if (i %% 4 == 0 || i == 5) 1 else 1:3])))
)
