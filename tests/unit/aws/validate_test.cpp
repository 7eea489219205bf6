#include "api/aws/validate.hpp"

#include <rapidjson/document.h>

#include <catch2/catch.hpp>
#include <cstddef>
#include <set>
#include <string>
#include <string_view>

#include "api/aws/model.hpp"
#include "api/core/error.hpp"

namespace {

using icemu::api::core::errc;
namespace aws = icemu::api::aws;
namespace model = icemu::api::aws::model;

constexpr char const* instance_arn = "arn:aws:sso:::instance/ssoins-1234567890abcdef";
constexpr char const* permission_set_arn =
    "arn:aws:sso:::permissionSet/ssoins-1234567890abcdef/ps-1234567890abcdef";

struct outcome {
    bool thrown = false;
    errc code = errc::internal;
    std::string message;
};

// Parses `json` and validates it; reports what validate_input threw, if anything.
outcome validate(std::string_view operation, std::string const& json) {
    rapidjson::Document body;
    body.Parse(json.c_str(), json.size());
    REQUIRE_FALSE(body.HasParseError());
    try {
        aws::validate_input(operation, body);
    } catch (icemu::api::core::error const& e) {
        return {true, e.code(), e.what()};
    }
    return {};
}

std::string with_arns(std::string const& members) {
    return std::string(R"({"InstanceArn":")") + instance_arn + R"(","PermissionSetArn":")" +
           permission_set_arn + "\"" + members + "}";
}

// The ValidationException message for `json`; fails the test if validation passes or throws
// something else.
std::string validation_message(std::string_view operation, std::string const& json) {
    outcome const result = validate(operation, json);
    REQUIRE(result.thrown);
    REQUIRE(result.code == errc::invalid_argument);
    return result.message;
}

} // namespace

TEST_CASE("The model lists all 79 sso-admin operations", "[aws]") {
    CHECK(model::operations().size() == 79);
    CHECK(aws::is_modelled_operation("CreatePermissionSet"));
    CHECK(aws::is_modelled_operation("ListInstances"));
    CHECK(aws::is_modelled_operation("PutApplicationGrant"));
    CHECK_FALSE(aws::is_modelled_operation("createPermissionSet"));
    CHECK_FALSE(aws::is_modelled_operation("SWBExternalService.CreatePermissionSet"));
    CHECK_FALSE(aws::is_modelled_operation(""));
}

TEST_CASE("Every pattern reachable from the 79 + 19 operation inputs compiles with PCRE2",
          "[aws]") {
    std::set<std::size_t> seen_shapes;
    std::set<std::size_t> used_patterns;
    auto const visit = [&](auto const& self, std::size_t index) -> void {
        if (!seen_shapes.insert(index).second)
            return;
        model::shape const& s = model::shapes()[index];
        if (s.pattern != model::no_index)
            used_patterns.insert(s.pattern);
        if (s.type == model::kind::structure || s.type == model::kind::union_) {
            for (model::member const& m : model::members().subspan(s.first, s.count))
                self(self, m.shape);
        }
        if (s.item != model::no_index)
            self(self, s.item);
        if (s.value_shape != model::no_index)
            self(self, s.value_shape);
    };
    for (model::operation const& op : model::operations())
        visit(visit, op.input);
    for (model::operation const& op : model::identitystore_operations())
        visit(visit, op.input);

    CHECK(seen_shapes.size() == model::shapes().size());
    CHECK(used_patterns.size() == model::patterns().size());
    for (std::size_t const i : used_patterns) {
        INFO("pattern " << i << ": " << model::patterns()[i].java);
        CHECK(aws::pattern_compile_error(i).empty());
    }
}

TEST_CASE("Java \\u escapes are converted and patterns match the whole value", "[aws]") {
    std::size_t description = model::no_index;
    for (std::size_t i = 0; i < model::patterns().size(); ++i) {
        if (model::patterns()[i].java.starts_with(R"([\u0009\u000A\u000D\u0020-\u007E)"))
            description = i;
    }
    REQUIRE(description != model::no_index);
    CHECK(model::patterns()[description].pcre2 ==
          R"([\x{0009}\x{000A}\x{000D}\x{0020}-\x{007E}\x{00A1}-\x{00FF}]*)");
    CHECK(aws::matches_pattern(description, "Caf\xc3\xa9 au lait\n")); // é is U+00E9
    CHECK_FALSE(aws::matches_pattern(description, "10 \xe2\x82\xac")); // € is U+20AC
}

TEST_CASE("Valid requests pass validation", "[aws]") {
    CHECK_FALSE(validate("ListInstances", "{}").thrown);
    CHECK_FALSE(validate("ListInstances", R"({"MaxResults":null,"NextToken":null})").thrown);
    CHECK_FALSE(validate("CreatePermissionSet",
                         std::string(R"({"InstanceArn":")") + instance_arn +
                             R"(","Name":"Admin.Access+1","Description":"Caf\u00e9 admins",)"
                             R"("SessionDuration":"PT2H","RelayState":"https://console.aws/",)"
                             R"("Tags":[{"Key":"team name","Value":"\u043a\u043e\u0434"}]})")
                    .thrown);
    CHECK_FALSE(validate("ListPermissionSets", std::string(R"({"InstanceArn":")") + instance_arn +
                                                   R"(","MaxResults":100,"NextToken":"ab+/=="})")
                    .thrown);
    CHECK_FALSE(
        validate("CreateAccountAssignment",
                 with_arns(R"(,"TargetId":"123456789012","TargetType":"AWS_ACCOUNT",)"
                           R"("PrincipalType":"GROUP",)"
                           R"("PrincipalId":"9067639464-9039c8fc-c296-4863-a233-a59111da7aa3")"))
            .thrown);
    CHECK_FALSE(validate("AttachCustomerManagedPolicyReferenceToPermissionSet",
                         with_arns(R"(,"CustomerManagedPolicyReference":{"Name":"Boundary",)"
                                   R"("Path":"/team/"})"))
                    .thrown);
    CHECK_FALSE(validate("DescribePermissionSetProvisioningStatus",
                         std::string(R"({"InstanceArn":")") + instance_arn +
                             R"(","ProvisionPermissionSetRequestId":)"
                             R"("25bf4416-48a7-434d-8d85-91a4575b7d5d"})")
                    .thrown);
    CHECK_FALSE(
        validate("UntagResource", std::string(R"({"ResourceArn":")") + permission_set_arn +
                                      R"(","TagKeys":["\u043a\u043b\u044e\u0447","aws:x"]})")
            .thrown);
}

TEST_CASE("Unknown members are ignored", "[aws]") {
    CHECK_FALSE(validate("ListInstances", R"({"Bogus":[1,2,{"x":null}],"maxresults":0})").thrown);
}

TEST_CASE("A missing required member is reported as null", "[aws]") {
    CHECK(validation_message("CreatePermissionSet",
                             std::string(R"({"InstanceArn":")") + instance_arn + "\"}") ==
          "1 validation error detected: Value null at 'name' failed to satisfy constraint: Member "
          "must not be null");
    CHECK(validation_message("CreatePermissionSet", std::string(R"({"Name":null,"InstanceArn":")") +
                                                        instance_arn + "\"}") ==
          "1 validation error detected: Value null at 'name' failed to satisfy constraint: Member "
          "must not be null");
}

TEST_CASE("Two violations are counted and joined in model order", "[aws]") {
    CHECK(validation_message("CreatePermissionSet", R"({"InstanceArn":"arn:aws:sso:::nothing"})") ==
          "2 validation errors detected: Value null at 'name' failed to satisfy constraint: Member "
          "must not be null; Value 'arn:aws:sso:::nothing' at 'instanceArn' failed to satisfy "
          "constraint: Member must satisfy regular expression pattern: "
          "arn:aws(-[a-z]{1,5}){0,3}:sso:::instance/(sso)?ins-[a-zA-Z0-9-.]{16}");
}

TEST_CASE("A value that breaks pattern and length gets both, pattern first", "[aws]") {
    CHECK(validation_message("CreatePermissionSet",
                             std::string(R"({"Name":"","InstanceArn":")") + instance_arn + "\"}") ==
          R"(2 validation errors detected: Value '' at 'name' failed to satisfy constraint: )"
          R"(Member must satisfy regular expression pattern: [\w+=,.@-]+; Value '' at 'name' )"
          R"(failed to satisfy constraint: Member must have length greater than or equal to 1)");
}

TEST_CASE("Length limits are reported with Coral's text", "[aws]") {
    CHECK(validation_message("CreatePermissionSet",
                             std::string(R"({"Name":"ps","Description":"","InstanceArn":")") +
                                 instance_arn + "\"}") ==
          "1 validation error detected: Value '' at 'description' failed to satisfy constraint: "
          "Member must have length greater than or equal to 1");
    std::string const long_name(33, 'a');
    CHECK(validation_message("CreatePermissionSet", std::string(R"({"Name":")") + long_name +
                                                        R"(","InstanceArn":")" + instance_arn +
                                                        "\"}") ==
          "1 validation error detected: Value '" + long_name +
              "' at 'name' failed to satisfy constraint: Member must have length less than or "
              "equal to 32");
}

TEST_CASE("Lengths count UTF-16 code units, as Java does", "[aws]") {
    // U+1D400 MATHEMATICAL BOLD CAPITAL A is a letter outside the BMP: two UTF-16 units.
    std::string key;
    for (int i = 0; i < 64; ++i)
        key += "\xf0\x9d\x90\x80";
    std::string const tag_resource =
        std::string(R"({"ResourceArn":")") + permission_set_arn + R"(","Tags":[{"Key":")";
    CHECK_FALSE(validate("TagResource", tag_resource + key + R"(","Value":""}]})").thrown);
    key += "\xf0\x9d\x90\x80";
    CHECK(validation_message("TagResource", tag_resource + key + R"(","Value":""}]})") ==
          "1 validation error detected: Value '" + key +
              "' at 'tags.1.member.key' failed to satisfy constraint: Member must have length "
              "less than or equal to 128");
}

TEST_CASE("A pattern violation echoes the model's pattern", "[aws]") {
    CHECK(validation_message("DeletePermissionSet",
                             R"({"InstanceArn":"arn:aws:sso:::instance/ssoins-1234567890abcdef",)"
                             R"("PermissionSetArn":"arn:aws:sso:::permissionSet/ps-1"})") ==
          "1 validation error detected: Value 'arn:aws:sso:::permissionSet/ps-1' at "
          "'permissionSetArn' failed to satisfy constraint: Member must satisfy regular "
          "expression pattern: arn:aws(-[a-z]{1,5}){0,3}:sso:::permissionSet/(sso)?ins-[a-zA-Z0-9-"
          ".]{16}/ps-[a-zA-Z0-9-./]{16}");
    // A full match: a valid prefix or suffix is not enough.
    CHECK(validate("DescribeInstance", std::string(R"({"InstanceArn":")") + instance_arn + "x\"}")
              .thrown);
    CHECK(validate("DescribeInstance", std::string(R"({"InstanceArn":"x)") + instance_arn + "\"}")
              .thrown);
}

TEST_CASE("Unicode property patterns accept letters and reject symbols in list items", "[aws]") {
    std::string const prefix = std::string(R"({"ResourceArn":")") + permission_set_arn + "\",";
    CHECK_FALSE(validate("TagResource",
                         prefix + R"("Tags":[{"Key":"\u00e9quipe \u56e2\u961f","Value":""}]})")
                    .thrown);
    CHECK(validation_message(
              "TagResource",
              prefix + R"("Tags":[{"Key":"ok","Value":"v"},{"Key":"bad#key","Value":"v"}]})") ==
          R"(1 validation error detected: Value 'bad#key' at 'tags.2.member.key' failed to )"
          R"(satisfy constraint: Member must satisfy regular expression pattern: )"
          R"(([\p{L}\p{Z}\p{N}_.:/=+\-@]*))");
    CHECK(validation_message("TagResource", prefix + R"("Tags":[{"Value":"v"}]})") ==
          "1 validation error detected: Value null at 'tags.1.member.key' failed to satisfy "
          "constraint: Member must not be null");
}

TEST_CASE("A list of strings is reported once with its item constraints", "[aws]") {
    CHECK(validation_message("UntagResource", std::string(R"({"ResourceArn":")") +
                                                  permission_set_arn +
                                                  R"(","TagKeys":["fine","a#",""]})") ==
          R"(1 validation error detected: Value '[fine, a#, ]' at 'tagKeys' failed to satisfy )"
          R"(constraint: Member must satisfy constraint: [Member must have length less than or )"
          R"(equal to 128, Member must have length greater than or equal to 1, Member must )"
          R"(satisfy regular expression pattern: ([\p{L}\p{Z}\p{N}_.:/=+\-@]*)])");
    CHECK(validation_message("UntagResource", std::string(R"({"ResourceArn":")") +
                                                  permission_set_arn + R"(","TagKeys":[]})") ==
          "1 validation error detected: Value '[]' at 'tagKeys' failed to satisfy constraint: "
          "Member must have length greater than or equal to 1");
}

TEST_CASE("An enum violation lists the allowed values", "[aws]") {
    CHECK(
        validation_message(
            "CreateAccountAssignment",
            with_arns(
                R"(,"TargetId":"123456789012","TargetType":"AWS_ACCOUNT",)"
                R"("PrincipalType":"ROLE","PrincipalId":"25bf4416-48a7-434d-8d85-91a4575b7d5d")")) ==
        "1 validation error detected: Value 'ROLE' at 'principalType' failed to satisfy "
        "constraint: Member must satisfy enum value set: [USER, GROUP]");
}

TEST_CASE("MaxResults must be between 1 and 100", "[aws]") {
    std::string const prefix = std::string(R"({"InstanceArn":")") + instance_arn + "\",";
    CHECK(validation_message("ListPermissionSets", prefix + R"("MaxResults":0})") ==
          "1 validation error detected: Value '0' at 'maxResults' failed to satisfy constraint: "
          "Member must have value greater than or equal to 1");
    CHECK(validation_message("ListPermissionSets", prefix + R"("MaxResults":101})") ==
          "1 validation error detected: Value '101' at 'maxResults' failed to satisfy constraint: "
          "Member must have value less than or equal to 100");
    CHECK_FALSE(validate("ListPermissionSets", prefix + R"("MaxResults":1})").thrown);
}

TEST_CASE("Nested structure members are checked with a dotted path", "[aws]") {
    CHECK(validation_message(
              "AttachCustomerManagedPolicyReferenceToPermissionSet",
              with_arns(R"(,"CustomerManagedPolicyReference":{"Name":"no spaces"})")) ==
          R"(1 validation error detected: Value 'no spaces' at )"
          R"('customerManagedPolicyReference.name' failed to satisfy constraint: Member must )"
          R"(satisfy regular expression pattern: [\w+=,.@-]+)");
    CHECK(validation_message("AttachCustomerManagedPolicyReferenceToPermissionSet",
                             with_arns(R"(,"CustomerManagedPolicyReference":{"Path":"/"})")) ==
          "1 validation error detected: Value null at 'customerManagedPolicyReference.name' "
          "failed to satisfy constraint: Member must not be null");
}

TEST_CASE("A member of the wrong JSON type is a serialization error naming it", "[aws]") {
    std::string const prefix = std::string(R"({"InstanceArn":")") + instance_arn + "\",";
    outcome const as_string = validate("ListPermissionSets", prefix + R"("MaxResults":"10"})");
    CHECK(as_string.code == errc::serialization);
    CHECK(as_string.message ==
          "Cannot deserialize 'maxResults': expected a 32-bit integer, found a string");
    outcome const as_float = validate("ListPermissionSets", prefix + R"("MaxResults":1.5})");
    CHECK(as_float.code == errc::serialization);
    outcome const as_object = validate("CreatePermissionSet", prefix + R"("Name":{"a":1}})");
    CHECK(as_object.code == errc::serialization);
    CHECK(as_object.message == "Cannot deserialize 'name': expected a string, found an object");
    outcome const tags = validate("CreatePermissionSet", prefix + R"("Name":"n","Tags":{}})");
    CHECK(tags.code == errc::serialization);
    CHECK(tags.message == "Cannot deserialize 'tags': expected a JSON array, found an object");
    outcome const item =
        validate("CreatePermissionSet", prefix + R"("Name":"n","Tags":[{"Key":1}]})");
    CHECK(item.code == errc::serialization);
    CHECK(item.message ==
          "Cannot deserialize 'tags.1.member.key': expected a string, found an integer");
    outcome const body = validate("ListInstances", "[]");
    CHECK(body.code == errc::serialization);
    CHECK(body.message ==
          "Cannot deserialize the request body: expected a JSON object, found an array");
}

TEST_CASE("Invalid UTF-8 is a clean serialization error", "[aws]") {
    for (std::string const bad :
         {"\xff", "a\xc3", "\xed\xa0\x80", "\xc0\xaf", "\xf4\x90\x80\x80"}) {
        outcome const result =
            validate("CreatePermissionSet", std::string(R"({"InstanceArn":")") + instance_arn +
                                                R"(","Name":")" + bad + "\"}");
        CHECK(result.thrown);
        CHECK(result.code == errc::serialization);
        CHECK(result.message == "Invalid UTF-8 in 'name'");
    }
}

TEST_CASE("Long values are cut in the message", "[aws]") {
    std::string const relay_state(300, 'r');
    std::string const message = validation_message(
        "CreatePermissionSet", std::string(R"({"Name":"n","RelayState":")") + relay_state +
                                   R"(","InstanceArn":")" + instance_arn + "\"}");
    CHECK(message == "1 validation error detected: Value '" + std::string(256, 'r') +
                         "...' at 'relayState' failed to satisfy constraint: Member must have "
                         "length less than or equal to 240");
}

TEST_CASE("A union takes exactly one member", "[aws]") {
    std::string const prefix =
        R"({"ApplicationArn":"arn:aws:sso::123456789012:application/ssoins-1234567890abcdef/)"
        R"(apl-1234567890abcdef","GrantType":"refresh_token","Grant":)";
    CHECK_FALSE(validate("PutApplicationGrant", prefix + R"({"RefreshToken":{}}})").thrown);
    outcome const two =
        validate("PutApplicationGrant", prefix + R"({"RefreshToken":{},"TokenExchange":{}}})");
    CHECK(two.code == errc::serialization);
    CHECK(two.message == "Union 'grant' must have exactly one member set, found 2");
}

TEST_CASE("An operation outside the model is an internal error", "[aws]") {
    outcome const result = validate("Nope", "{}");
    CHECK(result.code == errc::internal);
}
