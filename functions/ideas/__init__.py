"""The ideas function (functions/ideas/app.py): idea comments in, ideas and votes recorded, IdeaRecorded out."""
