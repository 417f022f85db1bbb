"""The immunization flow's name, its steps (kept in the conversation state) and its button prefix."""

FLOW = "immunization"
PREFIX = "imun"  # buttons "imun:vaksin:<id>", "imun:remind:yes|no"
ASK_BIRTH = "birth"  # the bot asked for the child's birth date
ASK_AGE = "age"  # the bot asked for the child's age
OFFER_REMINDER = "remind"  # the bot offered reminders before the next doses
