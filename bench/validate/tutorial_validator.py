"""The tutorial's dataset check (Lab 1, create_training_data.py), as the reference for npm run bench:validate.

It reads the whole file with readlines(), parses each line with json.loads and runs the same four asserts.
"""
import json
import sys


def validate(path):
    with open(path, "r") as f:
        lines = f.readlines()
        for line_num, line in enumerate(lines, 1):
            data = json.loads(line.strip())
            assert "prompt" in data, f"Line {line_num}: Missing 'prompt' field"
            assert "completion" in data, f"Line {line_num}: Missing 'completion' field"
            assert len(data["prompt"]) > 0, f"Line {line_num}: Empty prompt"
            assert len(data["completion"]) > 0, f"Line {line_num}: Empty completion"
    return len(lines)


if __name__ == "__main__":
    print(f"{validate(sys.argv[1])} records valid")
