"""The pipeline docs do what they say: the README's five-line script runs the three presets, and the JSON
example in docs/pipelines.md is a pipeline file."""

import contextlib
import io
import json
import re

import engine
from tests.test_cli import ROOT


def code_blocks(path, language):
    return re.findall(rf"```{language}\n(.*?)```", (ROOT / path).read_text(), re.S)


def test_the_readmes_five_line_script_runs_the_three_presets():
    (script,) = [b for b in code_blocks("README.md", "python") if "PIPELINE_PRESETS" in b]
    assert len(script.strip().splitlines()) == 5
    assert script in code_blocks("docs/pipelines.md", "python")
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(script, {})
    lines = printed.getvalue().splitlines()
    assert [line.split(" [")[0] for line in lines] == list(engine.PIPELINE_PRESETS)
    # pooled (50, 50) <- rows 100..101 <- conv 98..103 <- pool 196..207 <- conv 194..209: 16 rows
    assert lines[2].endswith("[(512, 512, 4), (512, 512, 4), (256, 256, 4), (256, 256, 2), (256, 256, 2), "
                             "(128, 128, 2)] Rect(top=194, left=194, height=16, width=16)")


def test_the_json_example_is_a_pipeline_file():
    (example,) = code_blocks("docs/pipelines.md", "json")
    pipeline = engine.pipeline_from_dict(json.loads(example))
    assert pipeline.labels == ("conv 3x3", "ReLU", "max pool 2", "conv 3x3 s1,2")
    assert pipeline.layers[3].options.stride == (1, 2) and pipeline.layers[0].options.output_range == "raw"
