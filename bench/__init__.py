"""The PyTorch side of ./course bench: the twins of the course's networks (twins), PyTorch's timing of the suite
(pytorch_bench), which flags it gets (flags), and the compare step (compare). Run as modules from the course folder
(python3 -m bench.pytorch_bench), as ./course bench does."""
