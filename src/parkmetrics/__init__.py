"""parkmetrics: compare Chinese industrial parks on what they planned and what they achieved."""
from .loader import Dataset, load_dataset

__all__ = ["Dataset", "load_dataset"]
