"""The expert's side of a review, without Qt: keys, the batch session, answers and progress."""
