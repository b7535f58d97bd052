## Export MASS's quine and housing data frames to CSV for glmstats.datasets.
##
## Run in this folder:  Rscript export_mass.R
## Written with R 4.2.2 and MASS 7.3-58.2. The CSVs hold the data frames as MASS ships them:
## rows in MASS's order, factor columns written as their labels (the level order is kept
## in datasets.json, see generate_levels.R), numbers as R writes them, no row names.

suppressPackageStartupMessages(library(MASS))

write_set <- function(d, file) {
  write.csv(d, file, row.names = FALSE, quote = TRUE, na = "NA")
  cat(sprintf("%s: %d rows x %d columns\n", file, nrow(d), ncol(d)))
}

## quine: Aboriginal and white children's days absent from school (146 rows);
## the negative binomial example of V&R sec. 7.4: glm.nb(Days ~ Eth + Sex + Age + Lrn).
write_set(quine, "quine.csv")

## housing: satisfaction of Copenhagen tenants, the aggregated 3 x 3 x 4 x 2 table with
## counts Freq (72 rows; 1681 respondents). V&R sec. 7.3: multinom(Sat ~ Infl + Type + Cont,
## weights = Freq), polr(...). One row per respondent: housing[rep(seq_len(72), housing$Freq), ].
write_set(housing, "housing.csv")
