#include "ids/ids.hpp"

#include <catch2/catch.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace ids = icemu::ids;

namespace {

constexpr std::string_view hex = "0123456789abcdef";
constexpr std::string_view other = "fedcba9876543210";

std::optional<std::string_view> some(std::string_view text) {
    return text;
}

} // namespace

TEST_CASE("hex_value reads a hex digit of either case", "[ids]") {
    CHECK(ids::hex_value('0') == 0);
    CHECK(ids::hex_value('9') == 9);
    CHECK(ids::hex_value('a') == 10);
    CHECK(ids::hex_value('f') == 15);
    CHECK(ids::hex_value('A') == 10);
    CHECK(ids::hex_value('F') == 15);
    for (char const c : std::string_view("gG/:@`-x \0", 10))
        CHECK(ids::hex_value(c) == -1);
}

TEST_CASE("is_lower_hex, is_digits and is_hex16", "[ids]") {
    CHECK(ids::is_lower_hex(""));
    CHECK(ids::is_lower_hex(hex));
    CHECK_FALSE(ids::is_lower_hex("0123456789abcdeF"));
    CHECK_FALSE(ids::is_lower_hex("g"));
    CHECK(ids::is_digits("0123456789"));
    CHECK_FALSE(ids::is_digits(""));
    CHECK_FALSE(ids::is_digits("12a"));
    CHECK_FALSE(ids::is_digits("-1"));
    CHECK(ids::is_hex16(hex));
    CHECK_FALSE(ids::is_hex16(hex.substr(1)));
    CHECK_FALSE(ids::is_hex16(std::string(hex) + "0"));
    CHECK_FALSE(ids::is_hex16("0123456789ABCDEF"));
    CHECK_FALSE(ids::is_hex16("0123456789abcdeg"));
    CHECK_FALSE(ids::is_hex16(""));
}

TEST_CASE("instance_id reads each form it is asked to accept", "[ids]") {
    auto const all = ids::every_instance_form;
    CHECK(ids::instance_id("0123456789abcdef", all) == some(hex));
    CHECK(ids::instance_id("ssoins-0123456789abcdef", all) == some(hex));
    CHECK(ids::instance_id("ins-0123456789abcdef", all) == some(hex));
    CHECK(ids::instance_id("arn:aws:sso:::instance/ssoins-0123456789abcdef", all) == some(hex));
    CHECK(ids::instance_id("arn:aws:sso:::instance/ins-0123456789abcdef", all) == some(hex));
    CHECK(ids::instance_id("arn:aws-cn:sso:::instance/ssoins-0123456789abcdef", all) == some(hex));
    CHECK(ids::instance_id("arn:aws-us-gov:sso:::instance/ssoins-0123456789abcdef", all) ==
          some(hex));
    CHECK(ids::instance_id("arn:aws-a-b-c:sso:::instance/ssoins-0123456789abcdef", all) ==
          some(hex));
    CHECK(ids::instance_id("arn:aws-abcde:sso:::instance/ssoins-0123456789abcdef", all) ==
          some(hex));
    // The view points into the text given.
    std::string_view const text = "ins-0123456789abcdef";
    CHECK(ids::instance_id(text, all)->data() == text.data() + 4);
}

TEST_CASE("instance_id accepts only the forms its caller names", "[ids]") {
    CHECK(ids::instance_id("0123456789abcdef", {.hex = true}) == some(hex));
    CHECK_FALSE(ids::instance_id("0123456789abcdef", {.ssoins = true, .ins = true, .arn = true}));
    CHECK(ids::instance_id("ssoins-0123456789abcdef", {.ssoins = true}) == some(hex));
    CHECK_FALSE(ids::instance_id("ssoins-0123456789abcdef", {.hex = true, .ins = true}));
    CHECK(ids::instance_id("ins-0123456789abcdef", {.ins = true}) == some(hex));
    CHECK_FALSE(ids::instance_id("ins-0123456789abcdef", {.hex = true, .ssoins = true}));
    CHECK(ids::instance_id("arn:aws:sso:::instance/ssoins-0123456789abcdef", {.arn = true}) ==
          some(hex));
    CHECK_FALSE(ids::instance_id("arn:aws:sso:::instance/ssoins-0123456789abcdef",
                                 {.hex = true, .ssoins = true, .ins = true}));
    CHECK_FALSE(ids::instance_id("0123456789abcdef", {}));
}

TEST_CASE("instance_id refuses every near miss", "[ids]") {
    auto const all = ids::every_instance_form;
    for (std::string_view const text : {
             "",
             "0123456789abcde",                                            // 15 hex
             "0123456789abcdef0",                                          // 17 hex
             "0123456789ABCDEF",                                           // uppercase
             "0123456789abcdeg",                                           // not hex
             "ssoins-",                                                    // no id
             "ssoins-0123456789abcde",                                     // short
             "ssoins-0123456789abcdef0",                                   // long
             "ssoins-0123456789ABCDEF",                                    // uppercase
             "SSOINS-0123456789abcdef",                                    // prefix case
             "sso-0123456789abcdef",                                       // another prefix
             "xins-0123456789abcdef",                                      // text before the prefix
             "ins-ins-0123456789abcdef",                                   // prefix twice
             "ins_0123456789abcdef",                                       // underscore
             " ins-0123456789abcdef",                                      // leading space
             "ins-0123456789abcdef ",                                      // trailing space
             "ps-0123456789abcdef",                                        // a permission set
             "arn:aws:sso:::instance/0123456789abcdef",                    // no prefix
             "arn:aws:sso:::instance/ssoins-0123456789abcde",              // short
             "arn:aws:sso:::instance/ssoins-0123456789abcdef/",            // trailing /
             "arn:aws:sso:::instance/ssoins-0123456789ABCDEF",             // uppercase
             "arn:aws:sso::123456789012:instance/ssoins-0123456789abcdef", // an account
             "arn:aws:iam:::instance/ssoins-0123456789abcdef",             // another service
             "arn:aws:sso:::Instance/ssoins-0123456789abcdef",             // resource case
             "arn:aws:sso:::permissionSet/ssoins-0123456789abcdef",        // another resource
             "arn:aws-abcdef:sso:::instance/ssoins-0123456789abcdef",      // partition > 5
             "arn:aws-:sso:::instance/ssoins-0123456789abcdef",            // empty partition
             "arn:aws-CN:sso:::instance/ssoins-0123456789abcdef",          // partition case
             "arn:aws-a-b-c-d:sso:::instance/ssoins-0123456789abcdef",     // 4 parts
             "arn:awsx:sso:::instance/ssoins-0123456789abcdef",            // partition
             "arn:aws:sso:::instance/ssoins-0123456789abcdef/ps-fedcba9876543210", // ps ARN
             "xarn:aws:sso:::instance/ssoins-0123456789abcdef",                    // text before
         }) {
        INFO(text);
        CHECK_FALSE(ids::instance_id(text, all));
    }
}

TEST_CASE("permission_set_id reads each form it is asked to accept", "[ids]") {
    auto const all = ids::every_permission_set_form;
    CHECK(ids::permission_set_id("fedcba9876543210", all) == some(other));
    CHECK(ids::permission_set_id("ps-fedcba9876543210", all) == some(other));
    CHECK(ids::permission_set_id(
              "arn:aws:sso:::permissionSet/ssoins-0123456789abcdef/ps-fedcba9876543210", all) ==
          some(other));
    CHECK(ids::permission_set_id(
              "arn:aws-cn:sso:::permissionSet/ins-0123456789abcdef/ps-fedcba9876543210", all) ==
          some(other));
    CHECK(ids::permission_set_id("fedcba9876543210", {.hex = true}) == some(other));
    CHECK_FALSE(ids::permission_set_id("fedcba9876543210", {.ps = true, .arn = true}));
    CHECK(ids::permission_set_id("ps-fedcba9876543210", {.ps = true}) == some(other));
    CHECK_FALSE(ids::permission_set_id("ps-fedcba9876543210", {.hex = true, .arn = true}));
    CHECK_FALSE(ids::permission_set_id(
        "arn:aws:sso:::permissionSet/ssoins-0123456789abcdef/ps-fedcba9876543210",
        {.hex = true, .ps = true}));
}

TEST_CASE("permission_set_id refuses every near miss", "[ids]") {
    auto const all = ids::every_permission_set_form;
    for (std::string_view const text : {
             "",
             "fedcba987654321",
             "fedcba98765432100",
             "FEDCBA9876543210",
             "ps-",
             "ps-fedcba987654321",
             "ps-fedcba98765432100",
             "ps-FEDCBA9876543210",
             "PS-fedcba9876543210",
             "xps-fedcba9876543210",
             "ins-fedcba9876543210",
             "ssoins-fedcba9876543210",
             "arn:aws:sso:::permissionSet/ssoins-0123456789abcdef/fedcba9876543210",
             "arn:aws:sso:::permissionSet/ps-fedcba9876543210",
             "arn:aws:sso:::permissionSet/ssoins-0123456789abcde/ps-fedcba9876543210",
             "arn:aws:sso:::permissionSet/ssoins-0123456789abcdef/ps-fedcba987654321",
             "arn:aws:sso:::permissionSet/ssoins-0123456789abcdef/ps-fedcba9876543210/",
             "arn:aws:sso:::permissionSet/ssoins-0123456789abcdef//ps-fedcba9876543210",
             "arn:aws:sso:::permissionset/ssoins-0123456789abcdef/ps-fedcba9876543210",
             "arn:aws:sso:::instance/ssoins-0123456789abcdef/ps-fedcba9876543210",
             "arn:aws:sso::123456789012:permissionSet/ssoins-0123456789abcdef/ps-fedcba9876543210",
             "identitycenter:::permissionset:ins-0123456789abcdef/ps-fedcba9876543210",
         }) {
        INFO(text);
        CHECK_FALSE(ids::permission_set_id(text, all));
    }
}

TEST_CASE("permission_set_arn and permission_set_urn name both ids", "[ids]") {
    auto const arn = ids::permission_set_arn(
        "arn:aws:sso:::permissionSet/ssoins-0123456789abcdef/ps-fedcba9876543210");
    REQUIRE(arn);
    CHECK(arn->instance_id == hex);
    CHECK(arn->permission_set_id == other);
    CHECK(ids::permission_set_arn(
              "arn:aws-us-gov:sso:::permissionSet/ins-0123456789abcdef/ps-fedcba9876543210")
              ->instance_id == hex);
    CHECK_FALSE(ids::permission_set_arn("ps-fedcba9876543210"));
    CHECK_FALSE(ids::permission_set_arn(
        "identitycenter:::permissionset:ins-0123456789abcdef/ps-fedcba9876543210"));

    auto const urn = ids::permission_set_urn(
        "identitycenter:::permissionset:ins-0123456789abcdef/ps-fedcba9876543210");
    REQUIRE(urn);
    CHECK(urn->instance_id == hex);
    CHECK(urn->permission_set_id == other);
    for (std::string_view const text : {
             "",
             "identitycenter:::permissionset:ins-0123456789abcdef/ps-fedcba987654321",
             "identitycenter:::permissionset:ins-0123456789abcdef/ps-fedcba98765432100",
             "identitycenter:::permissionset:ins-0123456789abcdef/ps-FEDCBA9876543210",
             "identitycenter:::permissionset:ins-0123456789ABCDEF/ps-fedcba9876543210",
             "identitycenter:::permissionset:ssoins-0123456789abcdef/ps-fedcba9876543210",
             "identitycenter:::permissionset:0123456789abcdef/ps-fedcba9876543210",
             "identitycenter:::permissionset:ins-0123456789abcdef/fedcba9876543210",
             "identitycenter::permissionset:ins-0123456789abcdef/ps-fedcba9876543210",
             "arn:aws:sso:::permissionSet/ssoins-0123456789abcdef/ps-fedcba9876543210",
         }) {
        INFO(text);
        CHECK_FALSE(ids::permission_set_urn(text));
    }
}

TEST_CASE("parse_uuid reads a request id of either case", "[ids]") {
    ids::uuid expected{};
    for (std::size_t i = 0; i < expected.size(); ++i)
        expected[i] = static_cast<unsigned char>(i * 17 + 1);
    CHECK(ids::parse_uuid("01122334-4556-6778-899a-abbccddeef00") == expected);
    CHECK(ids::parse_uuid("01122334-4556-6778-899A-ABBCCDDEEF00") == expected);
    CHECK(ids::parse_uuid("01122334-4556-6778-899a-ABBCCDDEEF00") == expected);
    for (std::string_view const text : {
             "",
             "01122334-4556-6778-899a-abbccddeef0",   // 35
             "01122334-4556-6778-899a-abbccddeef000", // 37
             "01122334-4556-6778-899a-abbccddeef0g",  // not hex
             "0112233445566778899aabbccddeef00",      // no dashes
             "01122334-4556-6778-899a_abbccddeef00",  // not a dash
             "011223344-556-6778-899a-abbccddeef00",  // dash moved
             "{1122334-4556-6778-899a-abbccddeef00",
         }) {
        INFO(text);
        CHECK_FALSE(ids::parse_uuid(text));
    }
}

TEST_CASE("is_lower_uuid takes a lowercase UUID only", "[ids]") {
    CHECK(ids::is_lower_uuid("01122334-4556-6778-899a-abbccddeef00"));
    CHECK_FALSE(ids::is_lower_uuid("01122334-4556-6778-899A-abbccddeef00"));
    CHECK_FALSE(ids::is_lower_uuid("01122334-4556-6778-899a-abbccddeef0"));
    CHECK_FALSE(ids::is_lower_uuid("01122334-4556-6778-899a-abbccddeef000"));
    CHECK_FALSE(ids::is_lower_uuid("01122334+4556-6778-899a-abbccddeef00"));
    CHECK_FALSE(ids::is_lower_uuid("0112233445566778899aabbccddeef000000"));
}

TEST_CASE("account ids: 12 digits (AWS) or 32 lowercase hex (Huawei)", "[ids]") {
    std::string_view const aws = "123456789012";
    std::string_view const huawei = "0123456789abcdef0123456789abcdef";
    CHECK(ids::is_aws_account(aws));
    CHECK_FALSE(ids::is_aws_account(huawei));
    CHECK(ids::is_huawei_account(huawei));
    CHECK_FALSE(ids::is_huawei_account(aws));
    CHECK(ids::is_account(aws));
    CHECK(ids::is_account(huawei));
    for (std::string_view const text : {
             "",
             "12345678901",                       // 11 digits
             "1234567890123",                     // 13 digits
             "12345678901a",                      // a letter
             "-12345678901",                      // a sign
             " 123456789012",                     // a space
             "0123456789abcdef0123456789abcde",   // 31 hex
             "0123456789abcdef0123456789abcdef0", // 33 hex
             "0123456789ABCDEF0123456789ABCDEF",  // uppercase
             "0123456789abcdef-123456789abcdef",  // a dash
         }) {
        INFO(text);
        CHECK_FALSE(ids::is_aws_account(text));
        CHECK_FALSE(ids::is_huawei_account(text));
        CHECK_FALSE(ids::is_account(text));
    }
}

TEST_CASE("identity store ids: d-<10 hex> or a lowercase UUID", "[ids]") {
    CHECK(ids::is_identity_store_id("d-0123456789"));
    CHECK(ids::is_identity_store_id("d-abcdef0123"));
    CHECK(ids::is_identity_store_id("01122334-4556-6778-899a-abbccddeef00"));
    for (std::string_view const text : {
             "",
             "d-",
             "d-012345678",
             "d-01234567890",
             "d-ABCDEF0123",
             "D-0123456789",
             "x-0123456789",
             "d_0123456789",
             "01122334-4556-6778-899A-abbccddeef00",
             "01122334-4556-6778-899a-abbccddeef0",
         }) {
        INFO(text);
        CHECK_FALSE(ids::is_identity_store_id(text));
    }
}
