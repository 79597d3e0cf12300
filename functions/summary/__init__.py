"""The summary function (one folder per Lambda)."""
