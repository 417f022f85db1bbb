"""The reminders flow's name and its steps, as kept in the conversation state."""

FLOW = "reminders"
AREA = "area"  # /pengingat: which kelurahan to subscribe to
BC_TEXT = "bc_text"  # /siaran: the message
BC_AREA = "bc_area"  # /siaran by staff: which area it goes to
BC_TIME = "bc_time"  # /siaran: when it goes out
BC_CONFIRM = "bc_confirm"  # /siaran: the preview, send or cancel
