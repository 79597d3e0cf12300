"""One package per Lambda function; each exposes `app.lambda_handler`."""
