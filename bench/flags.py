"""Which of ./course bench's flags each side gets. The helper (effconv.cli.BenchCommand) owns the flags, their checks
and --help, and gets every flag as typed; PyTorch's twin (bench/pytorch_bench.py) gets only those that choose what
is measured and how long: --quick and --only NAME. The others are the helper's alone: --no-fused (a path only the
helper has), --out FILE (the course script gives each side a file of its own), and --json, --no-torch and --help,
which run the helper alone, with no PyTorch and no compare step.

    python3 -m bench.flags alone ARGS...   exits 0 when ARGS run the helper alone, 1 when both sides run
    python3 -m bench.flags torch ARGS...   prints PyTorch's share of ARGS, each followed by a NUL byte

Standard library only: ./course bench asks it with any python3.
"""
import sys

# the helper alone: its JSON, its table, or its help
ALONE = ("--json", "--no-torch", "--help", "-h")
# the flags that take a value, as BenchCommand declares them ("--only NAME" or "--only=NAME")
VALUED = ("--only", "--out")
# what PyTorch's side is given
TO_TORCH = ("--quick", "--only")


def words(args):
    """(flag, the words it spans) for each flag of args, a value kept with its flag; any other word is its own."""
    i = 0
    while i < len(args):
        flag = args[i].split("=", 1)[0] if args[i].startswith("--") else args[i]
        span = 2 if flag in VALUED and "=" not in args[i] and i + 1 < len(args) else 1
        yield flag, args[i:i + span]
        i += span


def alone(args):
    """Whether args run the helper alone."""
    return any(flag in ALONE for flag, _ in words(args))


def torch_args(args):
    """PyTorch's share of args."""
    return [w for flag, span in words(args) if flag in TO_TORCH for w in span]


def main(argv):
    if not argv or argv[0] not in ("alone", "torch"):
        print("bench.flags: give alone ARGS... or torch ARGS...", file=sys.stderr)
        return 2
    if argv[0] == "alone":
        return 0 if alone(argv[1:]) else 1
    sys.stdout.write("".join(f"{w}\0" for w in torch_args(argv[1:])))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
