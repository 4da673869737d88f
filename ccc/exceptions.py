class Conflict(Exception):
    """Someone else's action got there first, or the item is no longer in a state that allows this.

    The message is for the person who lost: say what happened and who has the item.
    """
