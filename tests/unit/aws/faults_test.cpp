// What an AWS call tells the fault rules: the ids its ARNs name.
#include "api/aws/faults.hpp"

#include <rapidjson/document.h>

#include <catch2/catch.hpp>
#include <string>

namespace {

namespace aws = icemu::api::aws;

rapidjson::Document input(std::string const& json) {
    rapidjson::Document doc;
    doc.Parse(json.c_str());
    REQUIRE(doc.IsObject());
    return doc;
}

} // namespace

TEST_CASE("aws call facts name the instance and permission set of the call's ARNs", "[aws]") {
    auto const assign =
        input(R"({"InstanceArn":"arn:aws:sso:::instance/ssoins-0123456789abcdef",)"
              R"("PermissionSetArn":"arn:aws:sso:::permissionSet/)"
              R"(ssoins-0123456789abcdef/ps-fedcba9876543210",)"
              R"("TargetId":"111111111111","PrincipalType":"USER","PrincipalId":"u-1"})");
    auto facts = aws::call_facts_of("CreateAccountAssignment", &assign);
    CHECK(facts.surface == "aws");
    CHECK(facts.instance_id == "0123456789abcdef");
    CHECK(facts.permission_set_id == "fedcba9876543210");
    CHECK(facts.account_id == "111111111111");
    CHECK(facts.principal_type == "USER");
    CHECK(facts.principal_id == "u-1");

    // The model's pattern takes an instance as ssoins- or ins-, in any partition.
    auto const ins = input(R"({"InstanceArn":"arn:aws-cn:sso:::instance/ins-0123456789abcdef"})");
    CHECK(aws::call_facts_of("ListPermissionSets", &ins).instance_id == "0123456789abcdef");

    // A tag call names its permission set by ResourceArn; the instance comes from it too.
    auto const tag = input(R"({"ResourceArn":"arn:aws:sso:::permissionSet/ssoins-0123456789abcdef/)"
                           R"(ps-fedcba9876543210"})");
    facts = aws::call_facts_of("TagResource", &tag);
    CHECK(facts.instance_id == "0123456789abcdef");
    CHECK(facts.permission_set_id == "fedcba9876543210");

    // An instance as the resource.
    auto const instance_tag =
        input(R"({"ResourceArn":"arn:aws:sso:::instance/ssoins-0123456789abcdef"})");
    facts = aws::call_facts_of("ListTagsForResource", &instance_tag);
    CHECK(facts.instance_id == "0123456789abcdef");
    CHECK(facts.permission_set_id.empty());

    // What is not an ARN of icemu's ids names nothing; nor does a body that did not parse.
    auto const odd = input(R"({"InstanceArn":"arn:aws:sso:::instance/ssoins-0123456789ABCDEF",)"
                           R"("PermissionSetArn":"ps-fedcba9876543210"})");
    facts = aws::call_facts_of("DescribePermissionSet", &odd);
    CHECK(facts.instance_id.empty());
    CHECK(facts.permission_set_id.empty());
    facts = aws::call_facts_of("ListInstances", nullptr);
    CHECK(facts.instance_id.empty());
    CHECK(facts.operation == "ListInstances");
}
