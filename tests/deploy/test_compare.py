"""Only what the user set is compared (#13 item 8): a real cloud's extra or defaulted fields never cause a write.

Each row: inputs → the GetFunction fields a real cloud answers for them (with the extra fields and
defaults the SDK's response models carry) → the configuration keys the planner must write (none).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from component.deploy.planner import config_changes
from component.deploy.spec import build_spec


def desired(**inputs: Any) -> dict[str, Any]:
    base = {"src": "./src", "runtime": "Python3.9", "name": "fn", "description": "d"}
    spec = build_spec({**base, **inputs}, root=Path("/p"), instance="fn", stage="dev", app="demo")
    return dict(spec.function.config)


BASE = {"Description": "d", "Environment": {"Variables": []}}

UNCHANGED = [
    (
        "cfs entries come back with IpAddress, MountVpcId, MountSubnetId, in another order",
        {
            "cfs": [
                {"cfsId": "cfs-1", "mountInsId": "cfs-1", "localMountDir": "/mnt/a", "remoteMountDir": "/"},
                {"cfsId": "cfs-2", "localMountDir": "/mnt/b", "remoteMountDir": "/x", "userId": 10001},
            ]
        },
        {
            "CfsConfig": {
                "CfsInsList": [
                    {"UserId": "10001", "UserGroupId": "10000", "CfsId": "cfs-2", "MountInsId": "cfs-2",
                     "LocalMountDir": "/mnt/b", "RemoteMountDir": "/x", "IpAddress": "10.0.0.9",
                     "MountVpcId": "vpc-1", "MountSubnetId": "subnet-1"},
                    {"UserId": "10000", "UserGroupId": "10000", "CfsId": "cfs-1", "MountInsId": "cfs-1",
                     "LocalMountDir": "/mnt/a", "RemoteMountDir": "/", "IpAddress": "10.0.0.8",
                     "MountVpcId": "vpc-1", "MountSubnetId": "subnet-1"},
                ]
            }
        },
    ),
    (
        "dead letter without filterType comes back with FilterType ''",
        {"deadLetter": {"type": "CMQ", "name": "dlq"}},
        {"DeadLetterConfig": {"Type": "CMQ", "Name": "dlq", "FilterType": ""}},
    ),
    (
        "layers come back with AddTime, Status, CompatibleRuntimes, Description, Stamp, the version as text",
        {"layers": [{"name": "b", "version": 2}, {"name": "a", "version": 1}]},
        {
            "Layers": [
                {"LayerName": "a", "LayerVersion": "1", "AddTime": "2024-01-01 00:00:00", "Status": "Active",
                 "CompatibleRuntimes": ["Python3.9"], "Description": "", "LicenseInfo": "", "Stamp": "", "Tags": []},
                {"LayerName": "b", "LayerVersion": 2, "AddTime": "2024-01-02 00:00:00", "Status": "Active",
                 "CompatibleRuntimes": ["Python3.9"], "Description": "", "LicenseInfo": "", "Stamp": "", "Tags": []},
            ]
        },
    ),
    (
        "public access comes back with EipConfig.EipAddress",
        {"publicAccess": True, "eip": False},
        {"PublicNetConfig": {"PublicNetStatus": "ENABLE", "EipConfig": {"EipStatus": "DISABLE", "EipAddress": []}}},
    ),
    (
        "public access on a function the cloud never configured: an empty object",
        {"publicAccess": True},
        {"PublicNetConfig": {}},
    ),
    (
        "public access with no EipConfig at all in the answer",
        {"publicAccess": False},
        {"PublicNetConfig": {"PublicNetStatus": "DISABLE"}},
    ),
    (
        "vpc comes back with extra keys",
        {"vpcConfig": {"vpcId": "vpc-1", "subnetId": "subnet-1"}},
        {"VpcConfig": {"VpcId": "vpc-1", "SubnetId": "subnet-1", "SubnetIds": ["subnet-1"]}},
    ),
    (
        "cls ids come back as they were sent",
        {"cls": {"logsetId": "ls-1", "topicId": "tp-1"}},
        {"ClsLogsetId": "ls-1", "ClsTopicId": "tp-1"},
    ),
    (
        "flags come back in another case",
        {"l5Enable": False, "traceEnable": True},
        {"L5Enable": "false", "TraceEnable": "TRUE"},
    ),
    (
        "environment comes back in another order, with a non-string value as text",
        {"environment": {"variables": {"B": 2, "A": "x"}}},
        {"Environment": {"Variables": [{"Key": "A", "Value": "x"}, {"Key": "B", "Value": "2"}]}},
    ),
    (
        "no environment against the empty-marker pair the Node toolkit writes",
        {},
        {"Environment": {"Variables": [{"Key": "", "Value": ""}]}},
    ),
    (
        "no environment against a missing Environment object",
        {},
        {"Environment": None},
    ),
    (
        "no layers against the empty list",
        {"layers": []},
        {"Layers": None},
    ),
    (
        "numbers come back as numbers of another type",
        {"memorySize": 256, "timeout": 10},
        {"MemorySize": 256.0, "Timeout": "10"},
    ),
]


@pytest.mark.parametrize(("case", "inputs", "remote"), UNCHANGED, ids=[row[0] for row in UNCHANGED])
def test_a_remote_with_extra_or_defaulted_fields_plans_no_configuration_write(
    case: str, inputs: dict[str, Any], remote: dict[str, Any]
) -> None:
    assert config_changes(desired(**inputs), {**BASE, **remote}) == {}


CHANGED = [
    ("cfs mount dir differs", {"cfs": [{"cfsId": "c", "localMountDir": "/mnt/a", "remoteMountDir": "/"}]},
     {"CfsConfig": {"CfsInsList": [{"CfsId": "c", "MountInsId": "c", "UserId": "10000", "UserGroupId": "10000",
                                    "LocalMountDir": "/mnt/b", "RemoteMountDir": "/", "IpAddress": "1"}]}},
     {"CfsConfig"}),
    ("one cfs entry more remotely", {"cfs": [{"cfsId": "c", "localMountDir": "/a", "remoteMountDir": "/"}]},
     {"CfsConfig": {"CfsInsList": [
         {"CfsId": "c", "MountInsId": "c", "UserId": "10000", "UserGroupId": "10000", "LocalMountDir": "/a",
          "RemoteMountDir": "/"},
         {"CfsId": "d", "MountInsId": "d", "UserId": "10000", "UserGroupId": "10000", "LocalMountDir": "/b",
          "RemoteMountDir": "/"}]}},
     {"CfsConfig"}),
    ("dead letter set, none remotely", {"deadLetter": {"type": "CMQ", "name": "dlq"}}, {"DeadLetterConfig": None},
     {"DeadLetterConfig"}),
    ("layer version differs", {"layers": [{"name": "a", "version": 2}]},
     {"Layers": [{"LayerName": "a", "LayerVersion": 1, "Status": "Active"}]}, {"Layers"}),
    ("eip wanted, disabled remotely", {"eip": True},
     {"PublicNetConfig": {"PublicNetStatus": "ENABLE", "EipConfig": {"EipStatus": "DISABLE", "EipAddress": []}}},
     {"PublicNetConfig"}),
    ("public access off, default remotely", {"publicAccess": False}, {"PublicNetConfig": {}}, {"PublicNetConfig"}),
    ("vpc set, none remotely", {"vpcConfig": {"vpcId": "vpc-1", "subnetId": "s"}},
     {"VpcConfig": {"VpcId": "", "SubnetId": ""}}, {"VpcConfig"}),
    ("environment value differs", {"environment": {"variables": {"A": "1"}}},
     {"Environment": {"Variables": [{"Key": "A", "Value": "2"}]}}, {"Environment"}),
    ("environment removed", {}, {"Environment": {"Variables": [{"Key": "A", "Value": "2"}]}}, {"Environment"}),
]


@pytest.mark.parametrize(("case", "inputs", "remote", "keys"), CHANGED, ids=[row[0] for row in CHANGED])
def test_a_real_difference_in_what_the_user_set_is_written(
    case: str, inputs: dict[str, Any], remote: dict[str, Any], keys: set[str]
) -> None:
    assert set(config_changes(desired(**inputs), {**BASE, **remote})) == keys
