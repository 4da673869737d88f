class Conflict(Exception):
    """Someone else's action got there first, or the item is no longer in a state that allows this.

    The message is for the person who lost: say what happened and who has the item.
    """


class SubmissionMismatch(Exception):
    """A submission key already made a record from a different request: the caller reused a key.

    The API answers 422; the message says to send a new key, or the first body again.
    """
