"""Column building: one shared dictionary with the narrowest indices, OBS_VALUE nulls, text periods."""

from __future__ import annotations

import pyarrow as pa

from dataops.sdmx.media import MessageFormat
from dataops.sdmx.readers.table import OBS_VALUE, TableInfo, as_dictionary, assemble, index_type


def test_pieces_with_different_dictionaries_share_one_and_keep_their_values() -> None:
    pieces = [
        pa.array(["A", "E", None, "A"]).dictionary_encode(),
        pa.array(["F", "A"]),  # plain text from the lxml path
        pa.DictionaryArray.from_arrays(pa.array([1, 0], pa.int16()), pa.array(["E", "Q"])),
    ]
    column = as_dictionary(pieces)
    assert column.to_pylist() == ["A", "E", None, "A", "F", "A", "Q", "E"]
    assert column.dictionary.to_pylist() == ["A", "E", "F", "Q"]  # first-seen order
    assert column.type.index_type == pa.int8()


def test_indices_widen_with_the_number_of_codes() -> None:
    assert [index_type(n) for n in (1, 127, 128, 32_767, 32_768)] == [
        pa.int8(), pa.int8(), pa.int16(), pa.int16(), pa.int32()
    ]  # fmt: skip
    codes = [f"C{i:03d}" for i in range(300)]
    column = as_dictionary([pa.array(codes[:200]), pa.array(codes[100:])])
    assert column.type.index_type == pa.int16()
    assert column.to_pylist() == codes[:200] + codes[100:]
    # pandas gets categories with every code, in order
    assert list(pa.table({"c": column}).to_pandas()["c"].cat.categories) == codes


def test_assemble_gives_float_values_with_nulls_and_text_periods() -> None:
    info = TableInfo(
        format=MessageFormat.STRUCTURE_SPECIFIC_21,
        what="test.xml",
        dimensions=["FREQ"],
        time_dimension="TIME_PERIOD",
    )
    columns = {
        "FREQ": [pa.array(["M", "M"]), pa.array(["M"])],
        "TIME_PERIOD": [pa.array(["2024-01", "2024-02"]), pa.array(["2024-03"])],
        OBS_VALUE: [pa.array([1.5, float("nan")]), pa.array([2.5])],
    }
    table = assemble(columns, info, None)
    assert table.column(OBS_VALUE).to_pylist() == [1.5, None, 2.5]
    assert table.column("TIME_PERIOD").to_pylist() == ["2024-01", "2024-02", "2024-03"]
    df = table.to_pandas()
    assert df["TIME_PERIOD"].tolist() == ["2024-01", "2024-02", "2024-03"]
    assert df["FREQ"].dtype == "category"
