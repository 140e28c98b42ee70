"""Step mode: select one output pixel and see its kernel window and every multiply-and-sum."""
