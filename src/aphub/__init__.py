"""AP Hub: commission, place and oversee Alternative Provision."""
