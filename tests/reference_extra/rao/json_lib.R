# json_lib.R -- a minimal JSON writer for the reference scripts in this folder (jsonlite is not installed
# with the R used here). Numbers are written with "%.17g" (round-trip exact), NA/NaN as null.
num_json <- function(x) {
  out <- sprintf("%.17g", as.numeric(x))
  out[is.na(x)] <- "null"
  out[!is.na(x) & is.infinite(x)] <- ifelse(x[!is.na(x) & is.infinite(x)] > 0, '"Inf"', '"-Inf"')
  out
}
json_str <- function(s) paste0('"', gsub('"', '\\\\"', gsub("\\\\", "\\\\\\\\", s)), '"')
to_json <- function(x, indent = 0) {
  pad <- strrep("  ", indent); pad1 <- strrep("  ", indent + 1)
  if (is.null(x)) return("null")
  if (is.data.frame(x)) {
    cols <- lapply(x, function(v) if (is.numeric(v)) I(unname(as.numeric(v))) else I(as.character(v)))
    return(to_json(list(rownames = I(rownames(x)), columns = I(names(x)), data = cols), indent))
  }
  if (is.list(x)) {
    if (length(x) == 0) return(if (is.null(names(x))) "[]" else "{}")
    items <- vapply(seq_along(x), function(i) paste0(pad1, if (!is.null(names(x))) paste0(json_str(names(x)[i]), ": ") else "",
                                                     to_json(x[[i]], indent + 1)), "")
    br <- if (is.null(names(x))) c("[", "]") else c("{", "}")
    return(paste0(br[1], "\n", paste(items, collapse = ",\n"), "\n", pad, br[2]))
  }
  vals <- if (is.character(x)) vapply(x, json_str, "") else if (is.logical(x)) tolower(as.character(x)) else num_json(x)
  if (length(x) == 1 && !inherits(x, "AsIs")) return(unname(vals))
  paste0("[", paste(unname(vals), collapse = ", "), "]")
}
