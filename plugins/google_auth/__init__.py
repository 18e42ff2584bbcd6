"""Sign in with Google: verifies Google ID tokens through the ``authenticate_user`` hook."""
