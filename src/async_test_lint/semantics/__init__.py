"""What code means, for the rules: where the walk is (context), what a call resolves to, and which
async library runs the code. Built on syntax/, project/ and knowledge/."""
