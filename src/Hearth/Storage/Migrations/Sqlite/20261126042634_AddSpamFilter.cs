using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Hearth.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AddSpamFilter : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "SpamLabels",
                columns: table => new
                {
                    CommentId = table.Column<long>(type: "INTEGER", nullable: false),
                    SiteId = table.Column<long>(type: "INTEGER", nullable: false),
                    Spam = table.Column<bool>(type: "INTEGER", nullable: false),
                    Tokens = table.Column<string>(type: "TEXT", nullable: false),
                    At = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SpamLabels", x => x.CommentId);
                    table.ForeignKey(
                        name: "FK_SpamLabels_Comments_CommentId",
                        column: x => x.CommentId,
                        principalTable: "Comments",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "SpamTokens",
                columns: table => new
                {
                    SiteId = table.Column<long>(type: "INTEGER", nullable: false),
                    Token = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Spam = table.Column<int>(type: "INTEGER", nullable: false),
                    Ham = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SpamTokens", x => new { x.SiteId, x.Token });
                    table.ForeignKey(
                        name: "FK_SpamTokens_Sites_SiteId",
                        column: x => x.SiteId,
                        principalTable: "Sites",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "SpamTotals",
                columns: table => new
                {
                    SiteId = table.Column<long>(type: "INTEGER", nullable: false),
                    SpamComments = table.Column<int>(type: "INTEGER", nullable: false),
                    HamComments = table.Column<int>(type: "INTEGER", nullable: false),
                    SpamTokens = table.Column<long>(type: "INTEGER", nullable: false),
                    HamTokens = table.Column<long>(type: "INTEGER", nullable: false),
                    Vocabulary = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SpamTotals", x => x.SiteId);
                    table.ForeignKey(
                        name: "FK_SpamTotals_Sites_SiteId",
                        column: x => x.SiteId,
                        principalTable: "Sites",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "SpamLabels");

            migrationBuilder.DropTable(
                name: "SpamTokens");

            migrationBuilder.DropTable(
                name: "SpamTotals");
        }
    }
}
