"""The winners' page: per fiscal year, the award winners with the photo an admin chose, for every
logged-in user once the results are final, and for anyone once an admin makes it public."""
