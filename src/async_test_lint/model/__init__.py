"""The data every layer shares: a rule's shape, its findings and their fixes. Imports nothing above."""
